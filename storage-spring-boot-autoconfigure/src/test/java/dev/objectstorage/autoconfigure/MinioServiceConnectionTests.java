package dev.objectstorage.autoconfigure;

import java.time.Duration;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3Settings;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on a MinIO container configures the s3 storage. Needs a Docker
 * engine; skipped where there is none (as on this project's CI machines).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = MinioServiceConnectionTests.TestApplication.class,
		properties = { "storage.type=s3", "storage.s3.bucket=service-connection" })
class MinioServiceConnectionTests {

	@Container
	@ServiceConnection
	static final MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

	@Autowired
	ObjectStorage storage;

	@Test
	void theStorageTalksToTheContainer() {
		S3Settings settings = S3Settings.builder()
			.bucket("service-connection")
			.endpoint(java.net.URI.create(minio.getS3URL()))
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials(minio.getUserName(), minio.getPassword())
			.build();
		try (S3AsyncClient client = S3Backend.createClient(settings)) {
			client.createBucket((b) -> b.bucket("service-connection")).join();
		}
		this.storage.write("hello.txt", "from minio".getBytes()).block(Duration.ofSeconds(30));
		assertThat(new String(this.storage.readAllBytes("hello.txt").block(Duration.ofSeconds(30))))
			.isEqualTo("from minio");
		assertThat(this.storage.location()).contains(String.valueOf(minio.getFirstMappedPort()));
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
