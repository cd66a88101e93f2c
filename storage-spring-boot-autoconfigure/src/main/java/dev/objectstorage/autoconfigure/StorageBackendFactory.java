package dev.objectstorage.autoconfigure;

import dev.objectstorage.spi.StorageBackend;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Creates the backend of one type ({@code fs}, {@code memory}, {@code s3}, ...) from properties.
 * One bean per type, and {@code storage.type} selects it. The starter's own types declare theirs in
 * their package's configuration, registered in {@link StorageBackendTypes#ALL}; an application or
 * another module may add a factory bean of its own, which then binds its settings itself (see
 * {@link StorageDefinition#bind(String, Class)}).
 */
public interface StorageBackendFactory {

	/**
	 * The type this factory creates, as written in {@code storage.type}.
	 * @return the type
	 */
	String type();

	/**
	 * Creates a backend.
	 * @param storage what to create it for: the storage's name, properties and property prefix
	 * @param bufferFactory the buffer factory to allocate with
	 * @return the backend
	 * @throws InvalidStorageConfigurationException if the properties are wrong
	 */
	StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory);

}
