package dev.objectstorage.autoconfigure.docker;

import java.net.URI;

import dev.objectstorage.autoconfigure.S3ConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Lets Spring Boot's Docker Compose support configure the {@code s3} storages from a LocalStack
 * service ({@code localstack/localstack}): its edge port 4566, the region of its
 * {@code AWS_DEFAULT_REGION} environment ({@code us-east-1} when unset) and LocalStack's test
 * credentials ({@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} from its environment when
 * set, else {@code test}/{@code test}, which LocalStack accepts).
 */
class LocalStackDockerComposeConnectionDetailsFactory
		extends DockerComposeConnectionDetailsFactory<S3ConnectionDetails> {

	private static final int EDGE_PORT = 4566;

	LocalStackDockerComposeConnectionDetailsFactory() {
		super("localstack/localstack", "dev.objectstorage.s3.S3Backend");
	}

	@Override
	protected S3ConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new LocalStackDockerComposeConnectionDetails(source.getRunningService());
	}

	static final class LocalStackDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements S3ConnectionDetails {

		private final URI endpoint;

		private final String region;

		private final String accessKeyId;

		private final String secretAccessKey;

		LocalStackDockerComposeConnectionDetails(RunningService service) {
			super(service);
			this.endpoint = URI.create("http://" + service.host() + ":" + service.ports().get(EDGE_PORT));
			this.region = service.env().getOrDefault("AWS_DEFAULT_REGION", "us-east-1");
			this.accessKeyId = service.env().getOrDefault("AWS_ACCESS_KEY_ID", "test");
			this.secretAccessKey = service.env().getOrDefault("AWS_SECRET_ACCESS_KEY", "test");
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
