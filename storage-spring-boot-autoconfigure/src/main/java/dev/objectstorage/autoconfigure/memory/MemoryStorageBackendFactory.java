package dev.objectstorage.autoconfigure.memory;

import dev.objectstorage.autoconfigure.StorageBackendFactory;
import dev.objectstorage.autoconfigure.StorageDefinition;
import dev.objectstorage.memory.MemoryBackend;
import dev.objectstorage.spi.StorageBackend;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Creates {@code memory} backends.
 */
class MemoryStorageBackendFactory implements StorageBackendFactory {

	@Override
	public String type() {
		return "memory";
	}

	@Override
	public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
		return new MemoryBackend(bufferFactory);
	}

}
