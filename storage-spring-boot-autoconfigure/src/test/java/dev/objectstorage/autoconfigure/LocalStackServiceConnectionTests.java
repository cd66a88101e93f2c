package dev.objectstorage.autoconfigure;

import java.time.Duration;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3Settings;
import org.junit.jupiter.api.Test;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on a LocalStack container configures the s3 storage. Needs a Docker
 * engine; skipped where there is none (as on this project's CI machines).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = LocalStackServiceConnectionTests.TestApplication.class,
		properties = { "storage.type=s3", "storage.s3.bucket=service-connection" })
class LocalStackServiceConnectionTests {

	@Container
	@ServiceConnection
	static final LocalStackContainer localstack = new LocalStackContainer("localstack/localstack:4.9").withServices("s3");

	@Autowired
	ObjectStorage storage;

	@Test
	void theStorageTalksToTheContainer() {
		S3Settings settings = S3Settings.builder()
			.bucket("service-connection")
			.endpoint(localstack.getEndpoint())
			.region(localstack.getRegion())
			.pathStyleAccess(true)
			.credentials(localstack.getAccessKey(), localstack.getSecretKey())
			.build();
		try (S3AsyncClient client = S3Backend.createClient(settings)) {
			client.createBucket((b) -> b.bucket("service-connection")).join();
		}
		this.storage.write("hello.txt", "from localstack".getBytes()).block(Duration.ofSeconds(30));
		assertThat(new String(this.storage.readAllBytes("hello.txt").block(Duration.ofSeconds(30))))
			.isEqualTo("from localstack");
		assertThat(this.storage.location()).contains(String.valueOf(localstack.getFirstMappedPort()));
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
