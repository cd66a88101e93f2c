package dev.objectstorage.s3;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The whole behaviour suite against npm's {@code s3rver} (on 127.0.0.1, see {@link S3rverServer}),
 * a server with older S3 semantics, configured as the documentation advises for such services:
 * {@code checksums=WHEN_REQUIRED} (s3rver would store the SDK's {@code aws-chunked} framing as the
 * content) and {@code conditionalWrites=DISABLED} (it ignores {@code If-None-Match} and
 * {@code If-Match} on writes). The suite skips the conditional-write cases for that capability only.
 */
class S3rverBehaviourTests extends StorageBehaviourTests {

	private static S3AsyncClient client;

	@BeforeAll
	static void startServer() {
		client = S3Backend.createClient(S3rverServer.get().settings(""));
	}

	@AfterAll
	static void closeClient() {
		if (client != null) {
			client.close();
		}
	}

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new S3Backend(S3rverServer.get().settings(context.root()), client, context.bufferFactory());
	}

}
