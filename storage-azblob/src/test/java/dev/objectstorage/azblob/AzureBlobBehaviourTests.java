package dev.objectstorage.azblob;

import com.azure.storage.blob.BlobContainerAsyncClient;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole behaviour suite against a real Azure Blob Storage server (Azurite on 127.0.0.1), each
 * test under its own random prefix of one shared container. One container client is shared by the
 * tests, as an application would share its own.
 */
class AzureBlobBehaviourTests extends StorageBehaviourTests {

	private static BlobContainerAsyncClient client;

	@BeforeAll
	static void startServer() {
		client = AzureBlobBackend.createClient(AzuriteServer.get().settings(""));
	}

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new AzureBlobBackend(AzuriteServer.get().settings(context.root()), client, context.bufferFactory());
	}

}
