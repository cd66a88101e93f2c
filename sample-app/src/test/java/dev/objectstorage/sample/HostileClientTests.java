package dev.objectstorage.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that go away halfway: an upload cut off stores nothing (no object, no temporary file),
 * a download cut off leaves the server serving the file whole to the next client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HostileClientTests {

	private static Path root;

	@LocalServerPort
	int port;

	WebTestClient client;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-hostile");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.responseTimeout(Duration.ofSeconds(30)).build();
	}

	private static long filesUnder(Path directory) throws Exception {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).count();
		}
	}

	@Test
	void anUploadCutOffHalfwayStoresNothing() throws Exception {
		long before = filesUnder(root);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("PUT /files/cut/half.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: 4194304\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(new byte[300_000]);
			out.flush();
			// the cut must come while the server streams the body into a temporary file: wait until
			// that file is there (30 s is a bound for a busy machine, not a measure of speed)
			long started = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (filesUnder(root) == before && System.nanoTime() < started) {
				Thread.sleep(20);
			}
			assertThat(filesUnder(root)).as("the upload's temporary file").isGreaterThan(before);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (filesUnder(root) != before && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(filesUnder(root)).as("files left in the storage root").isEqualTo(before);
		this.client.get().uri("/files/cut/half.bin").exchange().expectStatus().isNotFound();
	}

	@Test
	void aDownloadCutOffHalfwayDoesNotDisturbTheNextOne() throws Exception {
		byte[] data = new byte[8 * 1024 * 1024];
		new Random(3).nextBytes(data);
		this.client.put().uri("/files/cut/big.bin").bodyValue(data).exchange().expectStatus().isCreated();
		for (int i = 0; i < 5; i++) {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				socket.getOutputStream().write(("GET /files/cut/big.bin" + ((i % 2 == 0) ? "" : "?download")
						+ " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				InputStream in = socket.getInputStream();
				assertThat(in.readNBytes(64 * 1024)).hasSize(64 * 1024);
			}
		}
		this.client.get().uri("/files/cut/big.bin").exchange()
			.expectStatus().isOk()
			.expectBody(byte[].class).isEqualTo(data);
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

}
