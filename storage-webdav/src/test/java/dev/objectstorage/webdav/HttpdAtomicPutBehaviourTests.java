package dev.objectstorage.webdav;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against {@link HttpdServer} with {@link WebDavSettings#atomicPut()} on
 * (Apache httpd (mod_dav_fs)'s {@code PUT} was found atomic, see {@link WebDavAtomicPutTests}): writes without
 * conditions and metadata go straight to the object's path.
 */
class HttpdAtomicPutBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new WebDavBackend(HttpdServer.get().settings(context.root()).toBuilder().atomicPut(true).build(),
				context.bufferFactory());
	}

}
