package dev.objectstorage.autoconfigure;

import java.time.Duration;

import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.objectstorage.ObjectStorage;
import org.junit.jupiter.api.Test;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on an Azurite container configures the azblob storage. Needs a Docker
 * engine; skipped where there is none (as on this project's CI machines).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = AzuriteServiceConnectionTests.TestApplication.class,
		properties = { "storage.type=azblob", "storage.azblob.container=service-connection" })
class AzuriteServiceConnectionTests {

	@Container
	@ServiceConnection
	static final AzuriteContainer azurite = new AzuriteContainer("mcr.microsoft.com/azure-storage/azurite:3.35.0");

	@Autowired
	ObjectStorage storage;

	@Test
	void theStorageTalksToTheContainer() {
		new BlobServiceClientBuilder().connectionString(azurite.getConnectionString())
			.buildClient()
			.createBlobContainer("service-connection");
		this.storage.write("hello.txt", "from azurite".getBytes()).block(Duration.ofSeconds(30));
		assertThat(new String(this.storage.readAllBytes("hello.txt").block(Duration.ofSeconds(30))))
			.isEqualTo("from azurite");
		assertThat(this.storage.location()).contains(String.valueOf(azurite.getFirstMappedPort()));
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
