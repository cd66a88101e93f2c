package dev.objectstorage.webdav;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against {@link NodeWebDavServer} (see there for what this server gets wrong and
 * what the backend makes of it), each test under its own root collection.
 */
class NodeWebDavBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new WebDavBackend(NodeWebDavServer.get().settings(context.root()), context.bufferFactory());
	}

}
