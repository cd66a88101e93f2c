package dev.objectstorage.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;

/**
 * Turns the {@code CONFIG_INVALID} errors that a backend's settings class throws into
 * {@link InvalidStorageConfigurationException}s that name the Spring Boot property to fix. The
 * settings classes name the offending setting by its Java name (for example {@code blockSize}); the
 * property is its kebab-case form under {@code storage.<type>.} (for example
 * {@code storage.azblob.block-size}).
 */
final class BackendSettingsFailures {

	private BackendSettingsFailures() {
	}

	/**
	 * Builds settings, reporting an invalid value as the property it came from.
	 * @param storage the storage being configured
	 * @param type the storage type, the first segment of its properties
	 * @param settingNames the settings' Java names
	 * @param settings builds the settings
	 * @param <T> the settings type
	 * @return the settings
	 */
	static <T> T build(StorageDefinition storage, String type, List<String> settingNames, Supplier<T> settings) {
		try {
			return settings.get();
		}
		catch (StorageException ex) {
			if (ex.kind() != ErrorKind.CONFIG_INVALID) {
				throw ex;
			}
			String message = String.valueOf(ex.getMessage());
			String setting = setting(message, settingNames);
			String property = (setting != null) ? storage.property(type + "." + kebab(setting)) : storage.property(type);
			throw new InvalidStorageConfigurationException(property, message, "Fix " + property + ".", ex);
		}
	}

	/**
	 * The setting a settings record's message is about: the one it quotes ({@code 'blockSize' must
	 * ...}), or the one it starts with, after a {@code "...settings: "} lead ({@code root must ...}).
	 * Never a name found elsewhere in the text, which may echo a value ({@code was /srv/host/..}).
	 */
	static @org.jspecify.annotations.Nullable String setting(String message, List<String> settingNames) {
		for (String name : settingNames) {
			if (message.contains("'" + name + "'")) {
				return name;
			}
		}
		int colon = message.indexOf(": ");
		String text = (colon >= 0) ? message.substring(colon + 2) : message;
		for (String name : settingNames) {
			if (text.startsWith(name + " ") || text.startsWith(name + ",")) {
				return name;
			}
		}
		return null;
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
	static String require(StorageDefinition storage, String property, @org.jspecify.annotations.Nullable String value,
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
