package dev.objectstorage.s3;

import java.net.URI;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The whole behaviour suite against MinIO in a container, where a Docker engine is available.
 * Without one (as on this project's CI machines) the class is skipped, not failed.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioBehaviourTests extends StorageBehaviourTests {

	@Container
	static final MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

	private static S3AsyncClient client;

	private static S3Settings settings;

	@BeforeAll
	static void createBucket() {
		settings = S3Settings.builder()
			.bucket("tck")
			.endpoint(URI.create(minio.getS3URL()))
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials(minio.getUserName(), minio.getPassword())
			.build();
		client = S3Backend.createClient(settings);
		client.createBucket((b) -> b.bucket("tck")).join();
	}

	@AfterAll
	static void closeClient() {
		if (client != null) {
			client.close();
		}
	}

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new S3Backend(settings.toBuilder().prefix(context.root()).build(), client, context.bufferFactory());
	}

}
