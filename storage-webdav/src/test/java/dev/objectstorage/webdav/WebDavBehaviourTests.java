package dev.objectstorage.webdav;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against a real WebDAV server (Apache httpd with mod_dav_fs on
 * 127.0.0.1, see {@link HttpdServer}), each test under its own root collection.
 */
class WebDavBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new WebDavBackend(HttpdServer.get().settings(context.root()), context.bufferFactory());
	}

}
