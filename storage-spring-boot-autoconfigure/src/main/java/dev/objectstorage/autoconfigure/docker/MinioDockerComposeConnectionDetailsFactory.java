package dev.objectstorage.autoconfigure.docker;

import java.net.URI;

import dev.objectstorage.autoconfigure.S3ConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Lets Spring Boot's Docker Compose support configure the {@code s3} storages from a MinIO service
 * ({@code minio/minio} or {@code bitnami/minio} images): its port 9000, and the credentials of its
 * {@code MINIO_ROOT_USER} / {@code MINIO_ROOT_PASSWORD} environment (MinIO's defaults when unset).
 */
class MinioDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<S3ConnectionDetails> {

	private static final int S3_PORT = 9000;

	MinioDockerComposeConnectionDetailsFactory() {
		super(new String[] { "minio/minio", "bitnami/minio" }, "dev.objectstorage.s3.S3Backend");
	}

	@Override
	protected S3ConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new MinioDockerComposeConnectionDetails(source.getRunningService());
	}

	static final class MinioDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements S3ConnectionDetails {

		private final URI endpoint;

		private final String accessKeyId;

		private final String secretAccessKey;

		MinioDockerComposeConnectionDetails(RunningService service) {
			super(service);
			this.endpoint = URI.create("http://" + service.host() + ":" + service.ports().get(S3_PORT));
			this.accessKeyId = service.env().getOrDefault("MINIO_ROOT_USER", "minioadmin");
			this.secretAccessKey = service.env().getOrDefault("MINIO_ROOT_PASSWORD", "minioadmin");
		}

		@Override
		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		@Override
		public String getRegion() {
			return "us-east-1";
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
