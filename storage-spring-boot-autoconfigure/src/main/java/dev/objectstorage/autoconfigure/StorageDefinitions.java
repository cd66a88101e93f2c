package dev.objectstorage.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Turns {@link StorageProperties} into the list of storages to build, checking what can be checked
 * before any backend exists: every storage has a type, and exactly one is primary.
 */
final class StorageDefinitions {

	private StorageDefinitions() {
	}

	/**
	 * The storages to build.
	 * @param properties the bound properties
	 * @param binder binds the settings of each storage's type, when its backend is created
	 * @return the definitions; an implicit in-memory {@code default} storage when nothing is configured
	 */
	static List<StorageDefinition> from(StorageProperties properties, Binder binder) {
		List<StorageDefinition> result = new ArrayList<>();
		Map<String, StorageInstanceProperties> instances = instances(properties, binder);
		boolean single = properties.getType() != null;
		if (!single && instances.isEmpty()) {
			checkNoOrphanSettings(binder);
			StorageProperties memory = new StorageProperties();
			memory.setType("memory");
			result.add(new StorageDefinition(StorageProperties.DEFAULT_NAME, StorageProperties.PREFIX, memory, true,
					binder));
			return result;
		}
		if (!single) {
			checkNoOrphanSettings(binder);
		}
		String primary = primary(properties, instances, single);
		if (single) {
			result.add(new StorageDefinition(StorageProperties.DEFAULT_NAME, StorageProperties.PREFIX, properties,
					StorageProperties.DEFAULT_NAME.equals(primary), binder));
		}
		instances.forEach((name, instance) -> {
			String prefix = StorageProperties.PREFIX + ".instances." + name;
			if (single && StorageProperties.DEFAULT_NAME.equals(name)) {
				throw new InvalidStorageConfigurationException(prefix,
						"The name 'default' is taken by the storage configured under storage.*.",
						"Rename storage.instances.default, or move its settings to storage.*.", null);
			}
			if (instance.getType() == null) {
				throw new InvalidStorageConfigurationException(prefix + ".type",
						"Storage '" + name + "' has no type.",
						"Set " + prefix + ".type to " + StorageBackendTypes.names() + ".", null);
			}
			result.add(new StorageDefinition(name, prefix, instance, name.equals(primary), binder));
		});
		return result;
	}

	/**
	 * The named storages, with those that have only settings of a type (which
	 * {@link StorageInstanceProperties} does not hold, so binding leaves them out), for the check
	 * that every storage has a type.
	 */
	private static Map<String, StorageInstanceProperties> instances(StorageProperties properties, Binder binder) {
		Map<String, StorageInstanceProperties> instances = new LinkedHashMap<>(properties.getInstances());
		binder.bind(StorageProperties.PREFIX + ".instances", Bindable.mapOf(String.class, Object.class))
			.ifBound((all) -> all.keySet()
				.forEach((name) -> instances.putIfAbsent(name, new StorageInstanceProperties())));
		return instances;
	}

	/** Implicitly the only storage, or the one named by {@code storage.primary}. */
	private static String primary(StorageProperties properties, Map<String, StorageInstanceProperties> instances,
			boolean single) {
		String primary = properties.getPrimary();
		if (primary != null) {
			boolean known = (single && StorageProperties.DEFAULT_NAME.equals(primary)) || instances.containsKey(primary);
			if (!known) {
				List<String> names = new ArrayList<>(instances.keySet());
				if (single) {
					names.add(0, StorageProperties.DEFAULT_NAME);
				}
				throw new InvalidStorageConfigurationException("storage.primary",
						"storage.primary names '" + primary + "', which is not a configured storage.",
						"Set storage.primary to one of " + String.join(", ", names) + ".", null);
			}
			return primary;
		}
		if (single) {
			return StorageProperties.DEFAULT_NAME;
		}
		if (instances.size() == 1) {
			return instances.keySet().iterator().next();
		}
		throw new InvalidStorageConfigurationException("storage.primary",
				"Several storages are configured (" + String.join(", ", instances.keySet())
						+ ") and none is primary, so an ObjectStorage without qualifier is ambiguous.",
				"Set storage.primary to the name of the storage to inject by default.", null);
	}

	/**
	 * The main setting of a type (storage.fs.root, storage.s3.bucket, ...) without storage.type is a
	 * forgotten type, not a choice.
	 */
	private static void checkNoOrphanSettings(Binder binder) {
		String set = orphan(binder);
		if (set != null) {
			throw new InvalidStorageConfigurationException("storage.type",
					"storage." + set + " is set but storage.type is not, so that setting would be ignored.",
					"Set storage.type to " + set.substring(0, set.indexOf('.')) + " (or remove storage." + set + ").",
					null);
		}
	}

	private static @Nullable String orphan(Binder binder) {
		for (StorageBackendType type : StorageBackendTypes.ALL) {
			if (type.mainSetting() != null) {
				String setting = type.type() + "." + type.mainSetting();
				if (binder.bind(StorageProperties.PREFIX + "." + setting, Bindable.of(String.class)).isBound()) {
					return setting;
				}
			}
		}
		return null;
	}

}
