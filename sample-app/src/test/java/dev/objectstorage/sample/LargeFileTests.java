package dev.objectstorage.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100 MiB upload and download through the HTTP API, compared by SHA-256, in a JVM whose heap is
 * capped at 128 MiB (the build runs this class in its own JVM with {@code -Xmx128m}): the client,
 * the server and the storage all stream, or this test runs out of memory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LargeFileTests {

	private static final int CHUNK = 64 * 1024;

	private static final int CHUNKS = 1600; // 100 MiB

	private static Path root;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-large");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	@Test
	void hundredMebibytesGoUpAndComeBackIdentical() throws Exception {
		assertThat(Runtime.getRuntime().maxMemory()).as("heap cap of this JVM").isLessThan(200L * 1024 * 1024);
		MessageDigest sent = MessageDigest.getInstance("SHA-256");
		Random random = new Random(42);
		Flux<DataBuffer> body = Flux.range(0, CHUNKS).map((i) -> {
			byte[] chunk = new byte[CHUNK];
			random.nextBytes(chunk);
			sent.update(chunk);
			return DefaultDataBufferFactory.sharedInstance.wrap(chunk);
		});
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		client.put().uri("/files/large/hundred.bin").contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(BodyInserters.fromDataBuffers(body))
			.retrieve().toBodilessEntity().block(Duration.ofMinutes(3));
		assertThat(Files.size(root.resolve("large/hundred.bin"))).isEqualTo((long) CHUNK * CHUNKS);

		MessageDigest received = MessageDigest.getInstance("SHA-256");
		long[] count = new long[1];
		client.get().uri("/files/large/hundred.bin").retrieve().bodyToFlux(DataBuffer.class)
			.doOnNext((buffer) -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				received.update(bytes);
				count[0] += bytes.length;
				DataBufferUtils.release(buffer);
			})
			.blockLast(Duration.ofMinutes(3));
		assertThat(count[0]).isEqualTo((long) CHUNK * CHUNKS);
		assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
	}

}
