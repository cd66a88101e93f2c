package dev.objectstorage.tck;

import dev.objectstorage.memory.MemoryBackend;
import dev.objectstorage.spi.StorageBackend;

/**
 * The behaviour suite against the memory backend.
 */
class MemoryBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new MemoryBackend(context.bufferFactory());
	}

}
