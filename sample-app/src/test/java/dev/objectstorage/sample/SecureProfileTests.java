package dev.objectstorage.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code secure} profile: without the user's credentials nothing but the health probe answers;
 * with them the file API works as usual, and cross-site writes are still refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "SAMPLE_USER=ann", "SAMPLE_PASSWORD=throwaway-test-password" })
@ActiveProfiles("secure")
class SecureProfileTests {

	private static Path root;

	@LocalServerPort
	int port;

	WebTestClient client;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-secure");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30)).build();
	}

	@Test
	void onlyTheUserGetsIn() {
		this.client.get().uri("/files").exchange().expectStatus().isUnauthorized();
		this.client.put().uri("/files/a.txt").contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange()
			.expectStatus().isUnauthorized();
		this.client.get().uri("/").headers((h) -> h.setBasicAuth("ann", "wrong")).exchange()
			.expectStatus().isUnauthorized();
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
		assertThat(root.resolve("a.txt")).doesNotExist();

		this.client.put().uri("/files/a.txt").headers((h) -> h.setBasicAuth("ann", "throwaway-test-password"))
			.contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange().expectStatus().isCreated();
		this.client.get().uri("/files/a.txt").headers((h) -> h.setBasicAuth("ann", "throwaway-test-password"))
			.exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("hello");
		this.client.delete().uri("/files/a.txt").headers((h) -> h.setBasicAuth("ann", "throwaway-test-password"))
			.header(HttpHeaders.ORIGIN, "http://evil.example").exchange().expectStatus().isForbidden();
		assertThat(root.resolve("a.txt")).hasContent("hello");
	}

}
