package dev.objectstorage.azblob;

import com.azure.storage.blob.BlobContainerAsyncClient;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against a real Azure Blob Storage server (Azurite on 127.0.0.1), each
 * test under its own random prefix of one shared container. One container client is shared by the
 * tests, as an application would share its own.
 */
class AzureBlobBehaviourTests extends StorageBehaviourTests {

	private static BlobContainerAsyncClient client;

	@Override
	protected StorageBackend createBackend(TckContext context) {
		// the server is started on first use: each test is skipped (with an install hint) where it cannot run
		AzuriteServer server = AzuriteServer.get();
		if (client == null) {
			client = AzureBlobBackend.createClient(server.settings(""));
		}
		return new AzureBlobBackend(server.settings(context.root()), client, context.bufferFactory());
	}

}
