package dev.objectstorage.webdav;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against {@link NginxServer} with {@link WebDavSettings#atomicPut()} on
 * (nginx's {@code PUT} was found atomic, see {@link WebDavAtomicPutTests}): writes without
 * conditions and metadata go straight to the object's path.
 */
class NginxAtomicPutBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new WebDavBackend(NginxServer.get().settings(context.root()).toBuilder().atomicPut(true).build(),
				context.bufferFactory());
	}

}
