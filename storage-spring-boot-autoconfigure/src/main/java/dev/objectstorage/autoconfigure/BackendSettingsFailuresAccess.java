package dev.objectstorage.autoconfigure;

import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The backend packages' way to {@link BackendSettingsFailures}, which stays package-private in this
 * package: it builds a backend's settings and reports an invalid or missing value as the Spring Boot
 * property to fix.
 */
public final class BackendSettingsFailuresAccess {

	private BackendSettingsFailuresAccess() {
	}

	/**
	 * Builds settings, reporting a value they refuse ({@link dev.objectstorage.InvalidSettingException})
	 * as the property it came from.
	 * @param storage the storage being configured
	 * @param type the storage type, the first segment of its properties
	 * @param settings builds the settings
	 * @param <T> the settings type
	 * @return the settings
	 * @throws InvalidStorageConfigurationException if the settings refuse a value
	 */
	public static <T> T build(StorageDefinition storage, String type, Supplier<T> settings) {
		return BackendSettingsFailures.build(storage, type, settings);
	}

	/**
	 * Builds settings, reporting a value they refuse as the property it came from, with a
	 * suggestion of what to set for some settings.
	 * @param storage the storage being configured
	 * @param type the storage type, the first segment of its properties
	 * @param actions the suggestion for an invalid setting (given its Java name and its property),
	 * or {@code null} for "Fix the property."
	 * @param settings builds the settings
	 * @param <T> the settings type
	 * @return the settings
	 * @throws InvalidStorageConfigurationException if the settings refuse a value
	 */
	public static <T> T build(StorageDefinition storage, String type,
			BiFunction<String, String, @Nullable String> actions, Supplier<T> settings) {
		return BackendSettingsFailures.build(storage, type, actions, settings);
	}

	/**
	 * Fails when a required property is not set.
	 * @param storage the storage being configured
	 * @param property the property, relative to the storage's prefix
	 * @param value its value
	 * @param what what the property holds, for the message
	 * @return the value
	 * @throws InvalidStorageConfigurationException if the value is not set or blank
	 */
	public static String require(StorageDefinition storage, String property, @Nullable String value, String what) {
		return BackendSettingsFailures.require(storage, property, value, what);
	}

}
