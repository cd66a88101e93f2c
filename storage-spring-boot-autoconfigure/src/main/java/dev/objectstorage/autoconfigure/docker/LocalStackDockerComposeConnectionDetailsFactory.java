package dev.objectstorage.autoconfigure.docker;

import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Lets Spring Boot's Docker Compose support configure the {@code s3} storages from a LocalStack
 * service ({@code localstack/localstack}): its edge port 4566, the region of its
 * {@code AWS_DEFAULT_REGION} environment ({@code us-east-1} when unset) and LocalStack's test
 * credentials ({@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} from its environment when
 * set, else {@code test}/{@code test}, which LocalStack accepts).
 */
class LocalStackDockerComposeConnectionDetailsFactory extends S3DockerComposeConnectionDetailsFactory {

	private static final int EDGE_PORT = 4566;

	LocalStackDockerComposeConnectionDetailsFactory() {
		super("localstack/localstack");
	}

	@Override
	protected S3ConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		RunningService service = source.getRunningService();
		return new S3ServiceConnectionDetails(service, EDGE_PORT,
				service.env().getOrDefault("AWS_DEFAULT_REGION", "us-east-1"),
				service.env().getOrDefault("AWS_ACCESS_KEY_ID", "test"),
				service.env().getOrDefault("AWS_SECRET_ACCESS_KEY", "test"));
	}

}
