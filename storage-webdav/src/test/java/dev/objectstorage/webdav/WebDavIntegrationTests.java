package dev.objectstorage.webdav;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.tck.LeakTrackingBufferFactory;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the behaviour suite does not cover, against the real httpd ({@link HttpdServer}): large
 * streams, Basic authentication, cleanup on the server's disk, interoperability with other WebDAV
 * clients, and failing networks.
 */
class WebDavIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int MIB = 1024 * 1024;

	private static HttpdServer server;

	/** The server, started on first use; each test is skipped (with an install hint) where it cannot run. */
	@BeforeEach
	void start() {
		server = HttpdServer.get();
	}

	private static String root(String name) {
		return "it-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static ObjectStorage storage(WebDavSettings settings, LeakTrackingBufferFactory buffers) {
		return ObjectStorage.builder().name("webdav-test").backend(new WebDavBackend(settings, buffers)).build();
	}

	private static Flux<DataBuffer> chunks(LeakTrackingBufferFactory buffers, byte[] data, int chunk,
			AtomicLong emitted) {
		return Flux.range(0, (data.length + chunk - 1) / chunk).map((i) -> {
			int n = Math.min(chunk, data.length - i * chunk);
			emitted.addAndGet(n);
			DataBuffer buffer = buffers.allocateBuffer(n);
			buffer.write(data, i * chunk, n);
			return buffer;
		});
	}

	private static List<String> tempFiles(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			return files.map((f) -> f.getFileName().toString())
				.filter((name) -> name.startsWith(".os-tmp-") || name.startsWith(".davfs.tmp"))
				.toList();
		}
	}

	@Test
	void aLargeObjectStreamsUpAndDownWithTheSameSha256() throws Exception {
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		byte[] data = StorageTck.randomBytes(20 * MIB, 42);
		try (ObjectStorage storage = storage(server.settings(root("large")), buffers)) {
			ObjectMetadata meta = storage.write("big/large.bin", chunks(buffers, data, 64 * 1024, new AtomicLong()))
				.block(TIMEOUT);
			assertThat(meta.size()).isEqualTo(data.length);
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			long[] received = new long[1];
			storage.read("big/large.bin").doOnNext((buffer) -> {
				byte[] chunk = new byte[buffer.readableByteCount()];
				buffer.read(chunk);
				sha.update(chunk);
				received[0] += chunk.length;
				DataBufferUtils.release(buffer);
			}).blockLast(TIMEOUT);
			assertThat(received[0]).isEqualTo(data.length);
			assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(StorageTck.sha256(data));
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	@Test
	void basicAuthenticationWithTheRightPasswordWorks() {
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		try (ObjectStorage storage = storage(server.securedSettings(root("auth")), buffers)) {
			storage.write("a/secret.txt", "top secret".getBytes()).block(TIMEOUT);
			assertThat(new String(storage.readAllBytes("a/secret.txt").block(TIMEOUT))).isEqualTo("top secret");
			assertThat(storage.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path)
				.collectList().block(TIMEOUT)).containsExactly("a/secret.txt");
		}
	}

	@Test
	void aWrongPasswordIsPermissionDenied() {
		WebDavSettings settings = server.securedSettings(root("wrong")).toBuilder()
			.credentials(HttpdServer.USERNAME, "wrong-password")
			.build();
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		try (ObjectStorage storage = storage(settings, buffers)) {
			StorageException stat = catchThrowableOfType(StorageException.class,
					() -> storage.stat("anything").block(TIMEOUT));
			assertThat(stat.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
			assertThat(stat.isTemporary()).isFalse();
			assertThat(stat.getMessage()).doesNotContain("wrong-password");
			StorageException write = catchThrowableOfType(StorageException.class,
					() -> storage.write("x", chunks(buffers, new byte[1000], 100, new AtomicLong())).block(TIMEOUT));
			assertThat(write.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
			StorageException list = catchThrowableOfType(StorageException.class,
					() -> storage.list("").collectList().block(TIMEOUT));
			assertThat(list.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	@Test
	void aFailedUploadLeavesNoTemporaryFileOnTheServersDisk() throws Exception {
		String root = root("failed");
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		try (ObjectStorage storage = storage(server.settings(root), buffers)) {
			storage.write("dir/kept", "kept".getBytes()).block(TIMEOUT);
			Flux<DataBuffer> failing = Flux.concat(chunks(buffers, StorageTck.randomBytes(5 * MIB, 7), 64 * 1024,
					new AtomicLong()), Flux.error(new IllegalStateException("source broke")));
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.write("dir/failed.bin", failing).block(TIMEOUT));
			assertThat(ex).isNotNull();
			Path directory = server.documentRoot().resolve(root);
			awaitNoTempFiles(directory);
			assertThat(tempFiles(directory)).as("temporary files on the server's disk").isEmpty();
			try (Stream<Path> files = Files.list(directory.resolve("dir"))) {
				assertThat(files.map((f) -> f.getFileName().toString()).filter((n) -> !n.equals(".DAV")))
					.containsExactly("kept");
			}
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	@Test
	void aCancelledUploadLeavesNoTemporaryFileOnTheServersDisk() throws Exception {
		String root = root("cancelled");
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		try (ObjectStorage storage = storage(server.settings(root), buffers)) {
			AtomicLong emitted = new AtomicLong();
			Flux<DataBuffer> endless = Flux.concat(chunks(buffers, StorageTck.randomBytes(4 * MIB, 8), 64 * 1024,
					emitted), Flux.never());
			Disposable write = storage.write("dir/cancelled.bin", endless).subscribe();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (emitted.get() < 4 * MIB && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			Thread.sleep(200);
			write.dispose();
			awaitNoTempFiles(server.documentRoot().resolve(root));
			assertThat(tempFiles(server.documentRoot().resolve(root))).isEmpty();
			assertThat(storage.exists("dir/cancelled.bin").block(TIMEOUT)).isFalse();
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	private static void awaitNoTempFiles(Path directory) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!tempFiles(directory).isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	@Test
	void metadataAreDeadPropertiesThatOtherClientsSeeAndObjectsOfOtherClientsAreReadable() throws Exception {
		String root = root("interop");
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		HttpClient http = HttpClient.newHttpClient();
		try (ObjectStorage storage = storage(server.settings(root), buffers)) {
			storage.write("m.txt", Flux.just(buffers.wrap("hello".getBytes())), WriteOptions.defaults()
				.withContentType("text/plain")
				.withUserMetadata(Map.of("owner", "ann & <bob>"))).block(TIMEOUT);
			URI url = server.baseUrl().resolve(root + "/m.txt");
			HttpResponse<String> propfind = http.send(HttpRequest.newBuilder(url)
				.method("PROPFIND", HttpRequest.BodyPublishers.noBody())
				.header("Depth", "0")
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(propfind.statusCode()).isEqualTo(207);
			assertThat(propfind.body()).contains(DavXml.NAMESPACE).contains("text/plain").contains("ann &amp; &lt;bob&gt;");
			assertThat(storage.stat("m.txt").block(TIMEOUT).userMetadata()).containsEntry("owner", "ann & <bob>");

			// an object another client writes, and rewrites
			URI other = server.baseUrl().resolve(root + "/other.bin");
			assertThat(http.send(HttpRequest.newBuilder(other).PUT(HttpRequest.BodyPublishers.ofString("one")).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);
			ObjectMetadata first = storage.stat("other.bin").block(TIMEOUT);
			assertThat(new String(storage.readAllBytes("other.bin").block(TIMEOUT))).isEqualTo("one");
			Thread.sleep(20);
			http.send(HttpRequest.newBuilder(other).PUT(HttpRequest.BodyPublishers.ofString("two!")).build(),
					HttpResponse.BodyHandlers.discarding());
			assertThat(storage.stat("other.bin").block(TIMEOUT).etag()).isNotEqualTo(first.etag());
			List<String> listed = new ArrayList<>(storage.list("").map(ObjectEntry::path).collectList().block(TIMEOUT));
			assertThat(listed).containsExactly("m.txt", "other.bin");
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	@Test
	void anUnreachableServerIsATemporaryErrorNotAHang() {
		WebDavSettings settings = WebDavSettings.builder("http://127.0.0.1:9/dav/")
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		try (ObjectStorage storage = storage(settings, new LeakTrackingBufferFactory())) {
			// a hang would end block() with an IllegalStateException, not a StorageException
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.stat("x").block(Duration.ofSeconds(20)));
			assertThat(ex).isNotNull();
			assertThat(ex.kind()).isIn(ErrorKind.UNEXPECTED, ErrorKind.TIMEOUT);
			assertThat(ex.isTemporary()).isTrue();
		}
	}

	@Test
	void aServerThatNeverAnswersTimesOut() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			List<Socket> accepted = new ArrayList<>();
			Thread acceptor = new Thread(() -> {
				try {
					while (true) {
						accepted.add(silent.accept()); // accepts, never answers
					}
				}
				catch (IOException ex) {
					// closed
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			WebDavSettings settings = WebDavSettings.builder("http://127.0.0.1:" + silent.getLocalPort() + "/")
				.responseTimeout(Duration.ofSeconds(1))
				.build();
			try (ObjectStorage storage = storage(settings, new LeakTrackingBufferFactory())) {
				StorageException ex = catchThrowableOfType(StorageException.class,
						() -> storage.read("x").blockLast(TIMEOUT));
				assertThat(ex.kind()).isEqualTo(ErrorKind.TIMEOUT);
				assertThat(ex.isTemporary()).isTrue();
			}
			for (Socket socket : accepted) {
				socket.close();
			}
		}
	}

	@Test
	void settingsAreCheckedAndNeverShowThePassword() {
		WebDavSettings settings = server.securedSettings("loc");
		assertThat(settings.toString()).doesNotContain(server.password()).contains("******");
		try (WebDavBackend backend = new WebDavBackend(settings)) {
			assertThat(backend.location()).endsWith("/secure/loc/").doesNotContain(server.password());
			assertThat(backend.scheme()).isEqualTo("webdav");
		}
		assertThat(catchThrowableOfType(InvalidSettingException.class, () -> WebDavSettings.builder("ftp://x/").build())
			.setting()).isEqualTo("baseUrl");
		assertThat(catchThrowableOfType(InvalidSettingException.class,
				() -> WebDavSettings.builder("http://user:pw@x/").build()).getMessage()).contains("baseUrl")
			.doesNotContain("pw@");
		assertThat(catchThrowableOfType(InvalidSettingException.class,
				() -> WebDavSettings.builder("http://x/").credentials("u", null).build()).setting())
			.isEqualTo("password");
		assertThat(catchThrowableOfType(InvalidSettingException.class,
				() -> WebDavSettings.builder("http://x/").maxConnections(0).build()).getMessage())
			.contains("maxConnections");
		assertThat(WebDavSettings.builder("http://x/base").root("/a/b/").build().root()).isEqualTo("a/b");
		assertThat(WebDavSettings.builder("http://x/base").build().baseUrl().toString()).isEqualTo("http://x/base/");
	}

}
