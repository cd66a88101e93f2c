package dev.objectstorage.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downloads on the fs storage go zero-copy from the opened file, and still: every byte sent is
 * counted by the storage's metrics (also when the client goes away midway), and every response's
 * {@code ETag}, {@code Content-Length} and body belong to one version while the file is overwritten.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.max-upload-size=64MB")
@ExtendWith(OutputCaptureExtension.class)
class DownloadIntegrityTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static Path root;

	@LocalServerPort
	int port;

	WebClient client;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-integrity");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	@BeforeEach
	void client() {
		this.client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
			.build();
	}

	private static byte[] bytes(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	private String put(String path, byte[] data) {
		return this.client.put().uri("/files/" + path).bodyValue(data).retrieve().toBodilessEntity().block(TIMEOUT)
			.getHeaders().getETag();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> read() {
		Map<String, Object> storage = this.client.get().uri("/actuator/storage/default").retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			}).block(TIMEOUT);
		return (Map<String, Object>) ((Map<String, Object>) storage.get("operations")).get("read");
	}

	private long readBytes() {
		return ((Number) read().get("bytes")).longValue();
	}

	private long readsEnded() {
		return ((Number) read().get("count")).longValue();
	}

	@Test
	void zeroCopyDownloadsAreCountedByteForByte() throws Exception {
		byte[] data = bytes(3 * 1024 * 1024 + 17, 1);
		put("counted.bin", data);
		long bytesBefore = readBytes();
		long countBefore = readsEnded();
		byte[] body = this.client.get().uri("/files/counted.bin").retrieve().bodyToMono(byte[].class).block(TIMEOUT);
		assertThat(body).isEqualTo(data);
		byte[] part = this.client.get().uri("/files/counted.bin").header(HttpHeaders.RANGE, "bytes=1000-1999")
			.retrieve().bodyToMono(byte[].class).block(TIMEOUT);
		assertThat(part).hasSize(1000);
		// a read is recorded when it has ended on the server, which may come just after the client
		// has the last byte: wait until both are (30 s is a bound for a busy machine, not a measure of speed)
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (readsEnded() - countBefore < 2 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(readBytes() - bytesBefore).as("bytes the metrics counted").isEqualTo(data.length + 1000L);
		assertThat(readsEnded() - countBefore).as("reads ended").isEqualTo(2);
	}

	@Test
	void aClientThatGoesAwayMidwayIsCountedForWhatWasSent(CapturedOutput output) throws Exception {
		int size = 64 * 1024 * 1024;
		byte[] data = bytes(size, 2);
		put("abandoned.bin", data);
		long bytesBefore = readBytes();
		long countBefore = readsEnded();
		long cancelledBefore = ((Number) read().get("cancellations")).longValue();
		int outputBefore = output.getOut().length();
		int received = 0;
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setReceiveBufferSize(64 * 1024);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /files/abandoned.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[64 * 1024];
			while (received < 1024 * 1024) {
				int n = in.read(buffer);
				if (n < 0) {
					break;
				}
				received += n;
			}
		} // closed with most of the file unsent
		for (int i = 0; i < 600 && readsEnded() == countBefore; i++) {
			Thread.sleep(50); // a bounded wait for the server to notice, not a measure of speed
		}
		assertThat(readsEnded() - countBefore).as("the read ended").isEqualTo(1);
		// the client went away: a cancelled read (as for a streamed body), no storage error, nothing at ERROR
		assertThat(((Number) read().get("cancellations")).longValue() - cancelledBefore).isEqualTo(1);
		assertThat((Map<?, ?>) read().get("errors")).isEmpty();
		assertThat(output.getOut().substring(outputBefore)).doesNotContain("ERROR").doesNotContain("answered with 500");
		long counted = readBytes() - bytesBefore;
		assertThat(counted).as("counted what the socket took: at least what arrived, not the whole file")
			.isGreaterThanOrEqualTo(received - 1024L)
			.isLessThan(size);
	}

	@Test
	void everyResponseIsOneVersionWhileTheFileIsOverwritten() throws Exception {
		byte[] a = bytes(4 * 1024 * 1024, 3);
		byte[] b = bytes(8 * 1024 * 1024, 4);
		Map<String, String> versions = new ConcurrentHashMap<>(); // etag -> sha256 of its bytes
		String hashA = sha256(a);
		String hashB = sha256(b);
		versions.put(put("contested.bin", a), hashA);
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread writer = new Thread(() -> {
			int i = 0;
			while (writing.get()) {
				byte[] next = (i++ % 2 == 0) ? b : a;
				versions.put(put("contested.bin", next), (next == a) ? hashA : hashB);
			}
		});
		writer.start();
		List<ResponseEntity<byte[]>> responses;
		try {
			responses = Flux.range(0, 40)
				.flatMap((i) -> this.client.get().uri("/files/contested.bin").retrieve().toEntity(byte[].class)
					.subscribeOn(Schedulers.boundedElastic()), 4)
				.collectList()
				.block(TIMEOUT);
		}
		finally {
			writing.set(false);
			writer.join();
		}
		for (ResponseEntity<byte[]> response : responses) {
			byte[] body = response.getBody();
			String etag = response.getHeaders().getETag();
			assertThat(body).hasSize((int) response.getHeaders().getContentLength());
			assertThat(versions.get(etag)).as("the version named by the ETag").isEqualTo(sha256(body));
		}
	}

}
