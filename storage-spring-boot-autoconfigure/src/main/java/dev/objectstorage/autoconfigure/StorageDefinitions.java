package dev.objectstorage.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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
	 * @return the definitions; an implicit in-memory {@code default} storage when nothing is configured
	 */
	static List<StorageDefinition> from(StorageProperties properties) {
		List<StorageDefinition> result = new ArrayList<>();
		Map<String, StorageInstanceProperties> instances = properties.getInstances();
		boolean single = properties.getType() != null;
		if (!single && instances.isEmpty()) {
			checkNoOrphanSettings(properties);
			StorageProperties memory = new StorageProperties();
			memory.setType("memory");
			result.add(new StorageDefinition(StorageProperties.DEFAULT_NAME, StorageProperties.PREFIX, memory, true));
			return result;
		}
		if (!single) {
			checkNoOrphanSettings(properties);
		}
		String primary = primary(properties, single);
		if (single) {
			result.add(new StorageDefinition(StorageProperties.DEFAULT_NAME, StorageProperties.PREFIX, properties,
					StorageProperties.DEFAULT_NAME.equals(primary)));
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
						"Storage '" + name + "' has no type.", "Set " + prefix + ".type to fs, memory or s3.", null);
			}
			result.add(new StorageDefinition(name, prefix, instance, name.equals(primary)));
		});
		return result;
	}

	/** Implicitly the only storage, or the one named by {@code storage.primary}. */
	private static String primary(StorageProperties properties, boolean single) {
		String primary = properties.getPrimary();
		Map<String, StorageInstanceProperties> instances = properties.getInstances();
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

	/** Settings under storage.fs / storage.s3 without storage.type are a forgotten type, not a choice. */
	private static void checkNoOrphanSettings(StorageProperties properties) {
		String set = orphan(properties);
		if (set != null) {
			throw new InvalidStorageConfigurationException("storage.type",
					"storage." + set + " is set but storage.type is not, so that setting would be ignored.",
					"Set storage.type to " + set.substring(0, set.indexOf('.')) + " (or remove storage." + set + ").",
					null);
		}
	}

	private static @Nullable String orphan(StorageProperties properties) {
		if (properties.getFs().getRoot() != null) {
			return "fs.root";
		}
		if (properties.getS3().getBucket() != null) {
			return "s3.bucket";
		}
		return null;
	}

}
