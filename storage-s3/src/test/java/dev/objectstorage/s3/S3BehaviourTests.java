package dev.objectstorage.s3;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The whole behaviour suite against a real S3 server (embedded S3Proxy on 127.0.0.1), each test
 * under its own random key prefix. One client is shared by the tests, as an application would
 * share its own {@link S3AsyncClient}.
 */
class S3BehaviourTests extends StorageBehaviourTests {

	private static S3AsyncClient client;

	@BeforeAll
	static void startServer() {
		client = S3Backend.createClient(S3ProxyServer.get().settings(""));
	}

	@AfterAll
	static void closeClient() {
		client.close();
	}

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new S3Backend(S3ProxyServer.get().settings(context.root()), client, context.bufferFactory());
	}

}
