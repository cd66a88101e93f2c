package dev.objectstorage.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails;
import dev.objectstorage.autoconfigure.s3.S3ConnectionDetails;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.TestDockerComposeConnectionSources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.boot.env.YamlPropertySourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code compose-*} profiles without Docker: each turns on Docker Compose with
 * {@code compose/compose.yaml} and the compose profile of one service, and that service, as Spring
 * Boot would see it running (its image, published ports and environment from the file), gives the
 * connection details of the storage type the profile sets.
 */
class ComposeProfilesTests {

	@ParameterizedTest
	@CsvSource({ "compose-minio, minio, s3, 9000", "compose-localstack, localstack, s3, 4566",
			"compose-azurite, azurite, azblob, 10000" })
	@SuppressWarnings("unchecked")
	void eachProfileStartsAServiceTheStarterConnectsTo(String profile, String service, String type, int port)
			throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader().load(profile, new ClassPathResource("application-" + profile + ".yml"))
			.forEach(environment.getPropertySources()::addLast);
		assertThat(environment.getProperty("spring.docker.compose.enabled")).isEqualTo("true");
		assertThat(environment.getProperty("spring.docker.compose.profiles.active")).isEqualTo(service);
		assertThat(environment.getProperty("storage.type")).isEqualTo(type);
		Path file = Path.of(environment.getProperty("spring.docker.compose.file"));
		assertThat(file).exists();

		Map<String, Object> compose;
		try (InputStream in = Files.newInputStream(file)) {
			compose = new Yaml().load(in);
		}
		Map<String, Object> definition = ((Map<String, Map<String, Object>>) compose.get("services")).get(service);
		assertThat((List<String>) definition.get("profiles")).containsExactly(service);
		assertThat((List<String>) definition.get("ports")).containsExactly("127.0.0.1::" + port);
		Map<String, String> env = (Map<String, String>) definition.getOrDefault("environment", Map.of());

		RunningService running = new Running(ImageReference.of((String) definition.get("image")), port, env);
		Map<Class<?>, ConnectionDetails> details = new ConnectionDetailsFactories(getClass().getClassLoader())
			.getConnectionDetails(TestDockerComposeConnectionSources.of(running), false);
		if (type.equals("s3")) {
			S3ConnectionDetails s3 = (S3ConnectionDetails) details.get(S3ConnectionDetails.class);
			assertThat(s3.getEndpoint()).hasToString("http://127.0.0.1:41234");
			assertThat(s3.isPathStyleAccess()).isTrue();
			if (service.equals("minio")) {
				assertThat(s3.getAccessKeyId()).isEqualTo(env.get("MINIO_ROOT_USER"));
			}
		}
		else {
			assertThat(((AzureBlobConnectionDetails) details.get(AzureBlobConnectionDetails.class)).getConnectionString())
				.contains("BlobEndpoint=http://127.0.0.1:41234/devstoreaccount1");
		}
	}

	/** A service as Spring Boot's Docker Compose support would describe it once started. */
	private record Running(ImageReference image, int containerPort, Map<String, String> env) implements RunningService {

		@Override
		public String name() {
			return "storage";
		}

		@Override
		public String host() {
			return "127.0.0.1";
		}

		@Override
		public ConnectionPorts ports() {
			return new ConnectionPorts() {

				@Override
				public int get(int port) {
					assertThat(port).isEqualTo(Running.this.containerPort);
					return 41234;
				}

				@Override
				public List<Integer> getAll() {
					return List.of(41234);
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
