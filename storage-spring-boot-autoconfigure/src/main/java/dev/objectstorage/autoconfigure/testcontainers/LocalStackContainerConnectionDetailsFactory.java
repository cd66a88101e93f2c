package dev.objectstorage.autoconfigure.testcontainers;

import java.net.URI;

import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.localstack.LocalStackContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Lets {@code @ServiceConnection} on a {@link LocalStackContainer} configure the {@code s3}
 * storages of a test application: endpoint, region and credentials come from the container;
 * path-style access, as LocalStack answers bucket names in the path without DNS set up.
 */
class LocalStackContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<LocalStackContainer, S3ConnectionDetails> {

	LocalStackContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.localstack.LocalStackContainer");
	}

	@Override
	protected S3ConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<LocalStackContainer> source) {
		return new LocalStackContainerConnectionDetails(source);
	}

	static final class LocalStackContainerConnectionDetails extends ContainerConnectionDetails<LocalStackContainer>
			implements S3ConnectionDetails {

		LocalStackContainerConnectionDetails(ContainerConnectionSource<LocalStackContainer> source) {
			super(source);
		}

		@Override
		public @Nullable URI getEndpoint() {
			return getContainer().getEndpoint();
		}

		@Override
		public String getRegion() {
			return getContainer().getRegion();
		}

		@Override
		public String getAccessKeyId() {
			return getContainer().getAccessKey();
		}

		@Override
		public String getSecretAccessKey() {
			return getContainer().getSecretKey();
		}

		@Override
		public boolean isPathStyleAccess() {
			return true;
		}

	}

}
