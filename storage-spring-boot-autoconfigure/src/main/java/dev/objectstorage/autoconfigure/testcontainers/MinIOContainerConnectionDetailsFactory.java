package dev.objectstorage.autoconfigure.testcontainers;

import java.net.URI;

import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.MinIOContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Lets {@code @ServiceConnection} on a {@link MinIOContainer} configure the {@code s3} storages of
 * a test application: endpoint, credentials, region and path-style access come from the container.
 */
class MinIOContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<MinIOContainer, S3ConnectionDetails> {

	MinIOContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.containers.MinIOContainer");
	}

	@Override
	protected S3ConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<MinIOContainer> source) {
		return new MinIOContainerConnectionDetails(source);
	}

	static final class MinIOContainerConnectionDetails extends ContainerConnectionDetails<MinIOContainer>
			implements S3ConnectionDetails {

		MinIOContainerConnectionDetails(ContainerConnectionSource<MinIOContainer> source) {
			super(source);
		}

		@Override
		public @Nullable URI getEndpoint() {
			return URI.create(getContainer().getS3URL());
		}

		@Override
		public String getRegion() {
			return "us-east-1";
		}

		@Override
		public String getAccessKeyId() {
			return getContainer().getUserName();
		}

		@Override
		public String getSecretAccessKey() {
			return getContainer().getPassword();
		}

		@Override
		public boolean isPathStyleAccess() {
			return true;
		}

	}

}
