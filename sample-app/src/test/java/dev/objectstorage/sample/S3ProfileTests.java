package dev.objectstorage.sample;

import java.time.Duration;

import dev.objectstorage.s3.S3ProxyServer;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * The sample with the {@code s3} profile, configured the way the README says (the S3_* variables),
 * against a real S3 server (embedded S3Proxy on 127.0.0.1): downloads stream from S3.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("s3")
class S3ProfileTests {

	@LocalServerPort
	int port;

	WebTestClient client;

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) {
		S3ProxyServer server = S3ProxyServer.get();
		registry.add("S3_BUCKET", () -> S3ProxyServer.BUCKET);
		registry.add("S3_ENDPOINT", () -> server.endpoint().toString());
		registry.add("S3_ACCESS_KEY_ID", () -> S3ProxyServer.ACCESS_KEY);
		registry.add("S3_SECRET_ACCESS_KEY", () -> S3ProxyServer.SECRET_KEY);
		registry.add("storage.s3.prefix", () -> "sample-" + System.nanoTime());
	}

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30)).build();
	}

	@Test
	void filesGoToS3AndRangesStreamBack() {
		this.client.put().uri("/files/s3/hello.txt").bodyValue("hello from s3").exchange().expectStatus().isCreated();
		this.client.get().uri("/files/s3/hello.txt").exchange()
			.expectStatus().isOk()
			.expectHeader().exists(HttpHeaders.ETAG)
			.expectBody(String.class).isEqualTo("hello from s3");
		this.client.get().uri("/files/s3/hello.txt").header(HttpHeaders.RANGE, "bytes=6-9").exchange()
			.expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 6-9/13")
			.expectBody(String.class).isEqualTo("from");
		this.client.get().uri("/actuator/storage/default").exchange()
			.expectBody().jsonPath("$.scheme").isEqualTo("s3").jsonPath("$.location")
			.value((String location) -> org.assertj.core.api.Assertions.assertThat(location)
				.doesNotContain(S3ProxyServer.SECRET_KEY));
		this.client.delete().uri("/files/s3/hello.txt").exchange().expectStatus().isNoContent();
		this.client.get().uri("/files/s3/hello.txt").exchange().expectStatus().isNotFound();
	}

}
