package dev.objectstorage.autoconfigure.docker;

import java.net.URI;

import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;

/**
 * What the factories of S3-compatible services started by Docker Compose share: the details of
 * such a service are its published port on the service's host, path-style access (these emulators
 * answer bucket names in the path, without DNS set up), a region and credentials.
 */
abstract class S3DockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<S3ConnectionDetails> {

	S3DockerComposeConnectionDetailsFactory(String... connectionNames) {
		super(connectionNames, "dev.objectstorage.s3.S3Backend");
	}

	static final class S3ServiceConnectionDetails extends DockerComposeConnectionDetails implements S3ConnectionDetails {

		private final URI endpoint;

		private final String region;

		private final String accessKeyId;

		private final String secretAccessKey;

		S3ServiceConnectionDetails(RunningService service, int port, String region, String accessKeyId,
				String secretAccessKey) {
			super(service);
			this.endpoint = URI.create("http://" + service.host() + ":" + service.ports().get(port));
			this.region = region;
			this.accessKeyId = accessKeyId;
			this.secretAccessKey = secretAccessKey;
		}

		@Override
		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		@Override
		public String getRegion() {
			return this.region;
		}

		@Override
		public String getAccessKeyId() {
			return this.accessKeyId;
		}

		@Override
		public String getSecretAccessKey() {
			return this.secretAccessKey;
		}

		@Override
		public boolean isPathStyleAccess() {
			return true;
		}

	}

}
