package dev.objectstorage.autoconfigure.docker;

import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Lets Spring Boot's Docker Compose support configure the {@code s3} storages from a MinIO service
 * ({@code minio/minio} or {@code bitnami/minio} images): its port 9000, and the credentials of its
 * {@code MINIO_ROOT_USER} / {@code MINIO_ROOT_PASSWORD} environment (MinIO's defaults when unset).
 */
class MinioDockerComposeConnectionDetailsFactory extends S3DockerComposeConnectionDetailsFactory {

	private static final int S3_PORT = 9000;

	MinioDockerComposeConnectionDetailsFactory() {
		super("minio/minio", "bitnami/minio");
	}

	@Override
	protected S3ConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		RunningService service = source.getRunningService();
		return new S3ServiceConnectionDetails(service, S3_PORT, "us-east-1",
				service.env().getOrDefault("MINIO_ROOT_USER", "minioadmin"),
				service.env().getOrDefault("MINIO_ROOT_PASSWORD", "minioadmin"));
	}

}
