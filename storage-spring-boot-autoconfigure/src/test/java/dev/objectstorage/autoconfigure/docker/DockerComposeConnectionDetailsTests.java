package dev.objectstorage.autoconfigure.docker;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails;
import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.TestDockerComposeConnectionSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker Compose connection details, without Docker: a running service as Spring Boot describes
 * it (image, host, published ports, environment) goes through the factories registered in
 * {@code spring.factories}, exactly as Boot looks them up.
 */
class DockerComposeConnectionDetailsTests {

	private static Map<Class<?>, ConnectionDetails> detailsOf(String image, int containerPort, int hostPort,
			Map<String, String> env) {
		RunningService service = new Service(image, containerPort, hostPort, env);
		return new ConnectionDetailsFactories(DockerComposeConnectionDetailsTests.class.getClassLoader())
			.getConnectionDetails(TestDockerComposeConnectionSources.of(service), false);
	}

	@Test
	void minioGivesS3Details() {
		S3ConnectionDetails details = (S3ConnectionDetails) detailsOf("minio/minio:RELEASE.2025-09-07T16-13-09Z", 9000,
				32768, Map.of("MINIO_ROOT_USER", "someone", "MINIO_ROOT_PASSWORD", "throwaway-secret"))
			.get(S3ConnectionDetails.class);
		assertThat(details.getEndpoint()).isEqualTo(URI.create("http://127.0.0.1:32768"));
		assertThat(details.getAccessKeyId()).isEqualTo("someone");
		assertThat(details.getSecretAccessKey()).isEqualTo("throwaway-secret");
		assertThat(details.getRegion()).isEqualTo("us-east-1");
		assertThat(details.isPathStyleAccess()).isTrue();
	}

	@Test
	void minioWithoutCredentialsInItsEnvironmentHasItsDefaults() {
		S3ConnectionDetails details = (S3ConnectionDetails) detailsOf("quay.io/minio/minio", 9000, 40000, Map.of())
			.get(S3ConnectionDetails.class);
		assertThat(details.getAccessKeyId()).isEqualTo("minioadmin");
		assertThat(details.getEndpoint()).isEqualTo(URI.create("http://127.0.0.1:40000"));
	}

	@Test
	void localStackGivesS3Details() {
		S3ConnectionDetails details = (S3ConnectionDetails) detailsOf("localstack/localstack:4.9", 4566, 32769,
				Map.of("AWS_DEFAULT_REGION", "eu-west-1"))
			.get(S3ConnectionDetails.class);
		assertThat(details.getEndpoint()).isEqualTo(URI.create("http://127.0.0.1:32769"));
		assertThat(details.getRegion()).isEqualTo("eu-west-1");
		assertThat(details.getAccessKeyId()).isEqualTo("test");
		assertThat(details.isPathStyleAccess()).isTrue();
	}

	@Test
	void azuriteGivesAConnectionString() {
		AzureBlobConnectionDetails details = (AzureBlobConnectionDetails) detailsOf(
				"mcr.microsoft.com/azure-storage/azurite:3.35.0", 10000, 32770, Map.of())
			.get(AzureBlobConnectionDetails.class);
		assertThat(details.getConnectionString())
			.isEqualTo("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
					+ AzuriteDockerComposeConnectionDetailsFactory.DEV_KEY
					+ ";BlobEndpoint=http://127.0.0.1:32770/devstoreaccount1;");
	}

	@Test
	void azuriteWithItsOwnAccountUsesIt() {
		AzureBlobConnectionDetails details = (AzureBlobConnectionDetails) detailsOf("mcr.microsoft.com/azure-storage/azurite",
				10000, 32771, Map.of("AZURITE_ACCOUNTS", "acct1:a2V5MQ==:a2V5Mg==;acct2:a2V5Mw=="))
			.get(AzureBlobConnectionDetails.class);
		assertThat(details.getConnectionString()).contains("AccountName=acct1;AccountKey=a2V5MQ==;")
			.endsWith("BlobEndpoint=http://127.0.0.1:32771/acct1;");
	}

	@Test
	void otherImagesAreNotTakenForStorage() {
		Map<Class<?>, ConnectionDetails> details = detailsOf("redis:7", 6379, 32772, Map.of());
		assertThat(details).doesNotContainKeys(S3ConnectionDetails.class, AzureBlobConnectionDetails.class);
	}

	/** A running service as Boot's Docker Compose support describes it. */
	private record Service(String imageName, int containerPort, int hostPort, Map<String, String> env)
			implements RunningService {

		@Override
		public String name() {
			return "storage";
		}

		@Override
		public ImageReference image() {
			return ImageReference.of(this.imageName);
		}

		@Override
		public String host() {
			return "127.0.0.1";
		}

		@Override
		public ConnectionPorts ports() {
			return new ConnectionPorts() {

				@Override
				public int get(int containerPort) {
					if (containerPort != Service.this.containerPort) {
						throw new IllegalStateException("No host port for container port " + containerPort);
					}
					return Service.this.hostPort;
				}

				@Override
				public List<Integer> getAll() {
					return List.of(Service.this.hostPort);
				}

				@Override
				public List<Integer> getAll(String protocol) {
					return getAll();
				}

			};
		}

		@Override
		public Map<String, String> labels() {
			return Map.of();
		}

	}

}
