package dev.objectstorage.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The backend packages' way to {@link BackendSettingsFailures}, which stays package-private in this
 * package: it builds a backend's settings and reports an invalid or missing value as the Spring Boot
 * property to fix. Goes with {@link BackendSettingsFailures} when that mechanism is replaced.
 */
public final class BackendSettingsFailuresAccess {

	private BackendSettingsFailuresAccess() {
	}

	/**
	 * Builds settings, reporting an invalid value as the property it came from.
	 * @param storage the storage being configured
	 * @param type the storage type, the first segment of its properties
	 * @param settingNames the settings' Java names
	 * @param settings builds the settings
	 * @param <T> the settings type
	 * @return the settings
	 * @throws InvalidStorageConfigurationException if the settings refuse a value
	 */
	public static <T> T build(StorageDefinition storage, String type, List<String> settingNames, Supplier<T> settings) {
		return BackendSettingsFailures.build(storage, type, settingNames, settings);
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
