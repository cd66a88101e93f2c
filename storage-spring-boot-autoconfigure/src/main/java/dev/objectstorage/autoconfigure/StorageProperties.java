package dev.objectstorage.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of object storage. Either one storage, named {@code default}, under
 * {@code storage.*}:
 * <pre>
 * storage:
 *   type: fs
 *   fs:
 *     root: ./data
 * </pre>
 * or several named ones under {@code storage.instances.<name>.*}, one of them primary. Each storage
 * becomes an {@link dev.objectstorage.ObjectStorage} bean that can be injected with
 * {@code @Qualifier("<name>")}; the primary one without a qualifier.
 */
@ConfigurationProperties(StorageProperties.PREFIX)
public class StorageProperties extends StorageInstanceProperties {

	/** The prefix of these properties. */
	public static final String PREFIX = "storage";

	/** The name of the single storage configured under {@code storage.*}. */
	public static final String DEFAULT_NAME = "default";

	/**
	 * Name of the storage to inject where no qualifier is given. Defaults to 'default' when
	 * 'storage.type' is set, or to the only named storage.
	 */
	private @Nullable String primary;

	/**
	 * Named storages, each with its own type, settings and layers.
	 */
	private final Map<String, StorageInstanceProperties> instances = new LinkedHashMap<>();

	public @Nullable String getPrimary() {
		return this.primary;
	}

	public void setPrimary(@Nullable String primary) {
		this.primary = primary;
	}

	public Map<String, StorageInstanceProperties> getInstances() {
		return this.instances;
	}

}
