package dev.objectstorage.autoconfigure.testcontainers;

import java.util.Map;

import dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails;
import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;
import org.junit.jupiter.api.Test;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.localstack.LocalStackContainer;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.testcontainers.service.connection.TestContainerConnectionSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers service connections, without Docker (no container is made or started): Boot's lookup through {@code spring.factories} finds the storage's factory for each
 * container type, and only for those. What the details read from a running container is checked
 * by {@code MinioServiceConnectionTests}, {@code LocalStackServiceConnectionTests} and
 * {@code AzuriteServiceConnectionTests} where Docker is available.
 */
class ContainerConnectionDetailsFactoryTests {

	private static <C extends Container<?>> Map<Class<?>, ConnectionDetails> detailsOf(Class<C> type, String image,
			java.util.function.Supplier<C> container) {
		return new ConnectionDetailsFactories(ContainerConnectionDetailsFactoryTests.class.getClassLoader())
			.getConnectionDetails(TestContainerConnectionSources.of(type, image, container), false);
	}

	@Test
	void localStackGivesS3Details() {
		String image = "localstack/localstack:4.9";
		assertThat(detailsOf(LocalStackContainer.class, image, () -> new LocalStackContainer(image)))
			.hasEntrySatisfying(S3ConnectionDetails.class, (details) -> assertThat(details)
				.isInstanceOf(LocalStackContainerConnectionDetailsFactory.LocalStackContainerConnectionDetails.class))
			.doesNotContainKey(AzureBlobConnectionDetails.class);
	}

	@Test
	void minioGivesS3Details() {
		String image = "minio/minio:RELEASE.2025-04-22T22-12-26Z";
		assertThat(detailsOf(MinIOContainer.class, image, () -> new MinIOContainer(image)))
			.hasEntrySatisfying(S3ConnectionDetails.class, (details) -> assertThat(details)
				.isInstanceOf(MinIOContainerConnectionDetailsFactory.MinIOContainerConnectionDetails.class));
	}

	@Test
	void azuriteGivesAzureBlobDetails() {
		String image = "mcr.microsoft.com/azure-storage/azurite:3.35.0";
		assertThat(detailsOf(AzuriteContainer.class, image, () -> new AzuriteContainer(image)))
			.hasEntrySatisfying(AzureBlobConnectionDetails.class, (details) -> assertThat(details)
				.isInstanceOf(AzuriteContainerConnectionDetailsFactory.AzuriteContainerConnectionDetails.class))
			.doesNotContainKey(S3ConnectionDetails.class);
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void otherContainersAreNotTakenForStorage() {
		String image = "redis:7";
		Map<Class<?>, ConnectionDetails> details = detailsOf((Class) GenericContainer.class, image,
				() -> new GenericContainer<>(image));
		assertThat(details).doesNotContainKeys(S3ConnectionDetails.class, AzureBlobConnectionDetails.class);
	}

}
