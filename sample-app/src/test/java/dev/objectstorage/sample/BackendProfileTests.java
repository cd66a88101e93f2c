package dev.objectstorage.sample;

import java.time.Duration;

import dev.objectstorage.azblob.AzuriteServer;
import dev.objectstorage.sftp.EmbeddedSftpServer;
import dev.objectstorage.webdav.HttpdServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with the {@code azblob}, {@code webdav} and {@code sftp} profiles, configured through
 * the environment variables the README names, each against a real server of its kind on 127.0.0.1:
 * the same HTTP API (upload, ETag, Range, conditional create, delete) on every backend.
 */
class BackendProfileTests {

	abstract static class ProfileRoundTrip {

		@LocalServerPort
		int port;

		WebTestClient client;

		abstract String scheme();

		@BeforeEach
		void client() {
			this.client = WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + this.port)
				.responseTimeout(Duration.ofSeconds(30))
				.build();
		}

		@Test
		void theHttpApiWorksTheSame() {
			String path = "/files/" + scheme() + "/hello world.txt";
			String body = "hello from " + scheme();
			String etag = this.client.put().uri(path).bodyValue(body).exchange()
				.expectStatus().isCreated()
				.returnResult(String.class).getResponseHeaders().getETag();
			this.client.put().uri(path).header(HttpHeaders.IF_NONE_MATCH, "*").bodyValue("again").exchange()
				.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
			this.client.get().uri(path).exchange()
				.expectStatus().isOk()
				.expectHeader().valueEquals(HttpHeaders.ETAG, etag)
				.expectBody(String.class).isEqualTo(body);
			this.client.get().uri(path).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
				.expectStatus().isNotModified();
			this.client.get().uri(path).header(HttpHeaders.RANGE, "bytes=6-9").exchange()
				.expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT)
				.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 6-9/" + body.length())
				.expectBody(String.class).isEqualTo("from");
			this.client.get().uri("/files?prefix=" + scheme() + "/").exchange()
				.expectStatus().isOk()
				.expectBody(String.class).value((json) -> assertThat(json).contains("hello world.txt"));
			this.client.get().uri("/actuator/storage/default").exchange()
				.expectBody().jsonPath("$.scheme").isEqualTo(scheme());
			this.client.delete().uri(path).exchange().expectStatus().isNoContent();
			this.client.get().uri(path).exchange().expectStatus().isNotFound();
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@ActiveProfiles("azblob")
	class Azblob extends ProfileRoundTrip {

		/** Skips the class (before Spring loads a context) where Azurite cannot run. */
		@BeforeAll
		static void server() {
			AzuriteServer.get();
		}

		@DynamicPropertySource
		static void azure(DynamicPropertyRegistry registry) {
			AzuriteServer server = AzuriteServer.get();
			registry.add("AZURE_STORAGE_CONNECTION_STRING", server::connectionString);
			registry.add("AZURE_STORAGE_CONTAINER", () -> AzuriteServer.CONTAINER);
			registry.add("AZURE_STORAGE_PREFIX", () -> "sample-" + System.nanoTime());
		}

		@Override
		String scheme() {
			return "azblob";
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@ActiveProfiles("webdav")
	class Webdav extends ProfileRoundTrip {

		/** Skips the class (before Spring loads a context) where httpd is not installed. */
		@BeforeAll
		static void server() {
			HttpdServer.get();
		}

		@DynamicPropertySource
		static void webdav(DynamicPropertyRegistry registry) {
			HttpdServer server = HttpdServer.get();
			registry.add("WEBDAV_URL", () -> server.securedSettings("").baseUrl().toString());
			registry.add("WEBDAV_ROOT", () -> "sample-" + System.nanoTime());
			registry.add("WEBDAV_USERNAME", () -> HttpdServer.USERNAME);
			registry.add("WEBDAV_PASSWORD", server::password);
		}

		@Override
		String scheme() {
			return "webdav";
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@ActiveProfiles("sftp")
	class Sftp extends ProfileRoundTrip {

		@DynamicPropertySource
		static void sftp(DynamicPropertyRegistry registry) {
			EmbeddedSftpServer server = EmbeddedSftpServer.get();
			registry.add("SFTP_HOST", () -> "127.0.0.1");
			registry.add("SFTP_PORT", server::port);
			registry.add("SFTP_USERNAME", () -> EmbeddedSftpServer.USERNAME);
			registry.add("SFTP_PASSWORD", server::password);
			registry.add("SFTP_KNOWN_HOSTS", () -> server.knownHosts().toString());
			registry.add("SFTP_ROOT", () -> "/sample-" + System.nanoTime());
		}

		@Override
		String scheme() {
			return "sftp";
		}

	}

}
