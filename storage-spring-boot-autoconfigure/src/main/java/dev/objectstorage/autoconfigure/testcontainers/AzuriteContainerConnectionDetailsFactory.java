package dev.objectstorage.autoconfigure.testcontainers;

import dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails;
import org.testcontainers.azure.AzuriteContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Lets {@code @ServiceConnection} on an {@link AzuriteContainer} configure the {@code azblob}
 * storages of a test application: the container's connection string (its blob endpoint and
 * development account) replaces the account settings.
 */
class AzuriteContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<AzuriteContainer, AzureBlobConnectionDetails> {

	AzuriteContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.azure.AzuriteContainer");
	}

	@Override
	protected AzureBlobConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<AzuriteContainer> source) {
		return new AzuriteContainerConnectionDetails(source);
	}

	static final class AzuriteContainerConnectionDetails extends ContainerConnectionDetails<AzuriteContainer>
			implements AzureBlobConnectionDetails {

		AzuriteContainerConnectionDetails(ContainerConnectionSource<AzuriteContainer> source) {
			super(source);
		}

		@Override
		public String getConnectionString() {
			return getContainer().getConnectionString();
		}

	}

}
