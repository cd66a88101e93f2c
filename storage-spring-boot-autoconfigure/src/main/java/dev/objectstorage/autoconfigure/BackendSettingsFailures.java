package dev.objectstorage.autoconfigure;

import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import dev.objectstorage.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@link InvalidSettingException}s that a backend's settings throw into
 * {@link InvalidStorageConfigurationException}s that name the Spring Boot property to fix. The
 * exception names the offending setting by its Java name as data (for example {@code blockSize});
 * the property is its kebab-case form under {@code storage.<type>.} (for example
 * {@code storage.azblob.block-size}). No message is parsed.
 */
final class BackendSettingsFailures {

	private BackendSettingsFailures() {
	}

	/**
	 * Builds settings, reporting an invalid value as the property it came from.
	 * @param storage the storage being configured
	 * @param type the storage type, the first segment of its properties
	 * @param settings builds the settings
	 * @param <T> the settings type
	 * @return the settings
	 */
	static <T> T build(StorageDefinition storage, String type, Supplier<T> settings) {
		return build(storage, type, (setting, property) -> null, settings);
	}

	/**
	 * Builds settings, reporting an invalid value as the property it came from, with a suggestion
	 * of what to set for some settings.
	 * @param storage the storage being configured
	 * @param type the storage type, the first segment of its properties
	 * @param actions the suggestion for an invalid setting (given its Java name and its property),
	 * or {@code null} for "Fix the property."
	 * @param settings builds the settings
	 * @param <T> the settings type
	 * @return the settings
	 */
	static <T> T build(StorageDefinition storage, String type, BiFunction<String, String, @Nullable String> actions,
			Supplier<T> settings) {
		try {
			return settings.get();
		}
		catch (InvalidSettingException ex) {
			String property = storage.property(type + "." + kebab(ex.setting()));
			String action = actions.apply(ex.setting(), property);
			throw new InvalidStorageConfigurationException(property, String.valueOf(ex.getMessage()),
					(action != null) ? action : "Fix " + property + ".", ex);
		}
	}

	/** {@code blockSize} to {@code block-size}. */
	static String kebab(String name) {
		StringBuilder result = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				result.append('-').append(Character.toLowerCase(c));
			}
			else {
				result.append(c);
			}
		}
		return result.toString().toLowerCase(Locale.ROOT);
	}

	/**
	 * Fails when a required property is not set.
	 * @param storage the storage being configured
	 * @param property the property, relative to the storage's prefix
	 * @param value its value
	 * @param what what the property holds, for the message
	 * @return the value
	 */
	static String require(StorageDefinition storage, String property, @Nullable String value,
			String what) {
		if (value == null || value.isBlank()) {
			String type = property.substring(0, property.indexOf('.'));
			throw new InvalidStorageConfigurationException(storage.property(property),
					"The " + what + " of " + type + " storage '" + storage.name() + "' is not set.",
					"Set " + storage.property(property) + ".", null);
		}
		return value;
	}

}
