package dev.objectstorage.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What only the S3 backend does, against a real S3 server (embedded S3Proxy): interoperability with
 * other S3 clients, bounded memory and cleanup of multipart uploads, multipart copy, prefixes, and
 * the mapping of S3 errors.
 */
class S3BackendIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int MIB = 1024 * 1024;

	private static S3ProxyServer server;

	private static S3AsyncClient raw;

	@BeforeAll
	static void start() {
		server = S3ProxyServer.get();
		raw = S3Backend.createClient(server.settings(""));
	}

	@AfterAll
	static void stop() {
		raw.close();
	}

	private static ObjectStorage storage(S3Settings settings) {
		return ObjectStorage.builder().name("s3-test").backend(new S3Backend(settings)).build();
	}

	private static String prefix(String name) {
		return "it-" + name + "-" + System.nanoTime();
	}

	private static Flux<DataBuffer> counted(byte[] data, int chunk, AtomicLong emitted) {
		return Flux.range(0, (data.length + chunk - 1) / chunk).map((i) -> {
			int n = Math.min(chunk, data.length - i * chunk);
			emitted.addAndGet(n);
			return DefaultDataBufferFactory.sharedInstance.wrap(java.util.Arrays.copyOfRange(data, i * chunk, i * chunk + n));
		});
	}

	private static List<MultipartUpload> openUploads(S3AsyncClient client, String prefix) {
		return client.listMultipartUploads((b) -> b.bucket(S3ProxyServer.BUCKET).prefix(prefix)).join().uploads();
	}

	@Test
	void objectsWrittenByTheBackendAreReadableByAnyS3Client() {
		String prefix = prefix("interop");
		try (ObjectStorage storage = storage(server.settings(prefix))) {
			storage.write("a/b.txt", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("hello s3".getBytes())),
					WriteOptions.defaults().withContentType("text/plain").withUserMetadata(Map.of("owner", "ann"))
						.withCacheControl("no-cache").withContentDisposition("inline"))
				.block(TIMEOUT);
		}
		ResponseBytes<GetObjectResponse> object = raw
			.getObject((b) -> b.bucket(S3ProxyServer.BUCKET).key(prefix + "/a/b.txt"), AsyncResponseTransformer.toBytes())
			.join();
		assertThat(object.asUtf8String()).isEqualTo("hello s3");
		assertThat(object.response().contentType()).isEqualTo("text/plain");
		assertThat(object.response().metadata()).containsEntry("owner", "ann");
		assertThat(object.response().cacheControl()).isEqualTo("no-cache");
		assertThat(object.response().contentDisposition()).isEqualTo("inline");
	}

	@Test
	void objectsWrittenByAnyS3ClientAreReadableThroughTheBackend() {
		String prefix = prefix("interop2");
		byte[] data = StorageTck.randomBytes(3 * MIB, 1);
		raw.putObject((b) -> b.bucket(S3ProxyServer.BUCKET).key(prefix + "/raw.bin").contentType("application/x-raw")
			.metadata(Map.of("source", "sdk")), AsyncRequestBody.fromBytes(data)).join();
		try (ObjectStorage storage = storage(server.settings(prefix))) {
			assertThat(storage.readAllBytes("raw.bin").block(TIMEOUT)).isEqualTo(data);
			ObjectMetadata meta = storage.stat("raw.bin").block(TIMEOUT);
			assertThat(meta.contentType()).isEqualTo("application/x-raw");
			assertThat(meta.userMetadata()).containsEntry("source", "sdk");
			assertThat(meta.size()).isEqualTo(data.length);
		}
	}

	@ParameterizedTest(name = "{0} parts in flight")
	@ValueSource(ints = { 1, 3 })
	void aMultipartUploadHoldsAtMostAboutPartSizeTimesPartsInFlightPlusOne(int partsInFlight) throws Exception {
		AtomicReference<BlockingBlobStore> blocking = new AtomicReference<>();
		S3ProxyServer dedicated = S3ProxyServer.dedicated((store) -> {
			blocking.set(new BlockingBlobStore(store));
			return blocking.get();
		});
		try {
			blocking.get().permits.drainPermits();
			S3Settings settings = dedicated.settings(prefix("bounded"))
				.toBuilder()
				.partSize(5 * MIB)
				.partsInFlight(partsInFlight)
				.build();
			byte[] data = StorageTck.randomBytes(40 * MIB, 2);
			AtomicLong emitted = new AtomicLong();
			int chunk = 64 * 1024;
			try (ObjectStorage storage = storage(settings)) {
				var result = storage.write("big.bin", counted(data, chunk, emitted)).toFuture();
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				while (blocking.get().partsStarted.get() < partsInFlight && System.nanoTime() < deadline) {
					Thread.sleep(10);
				}
				Thread.sleep(500); // give an unbounded writer the time to read ahead
				// the parts held for a single PutObject become the upload's first parts: no more than that
				long bound = 5L * MIB * (partsInFlight + 1) + 2L * chunk;
				assertThat(emitted.get()).as("bytes taken from the source while one part is held").isLessThanOrEqualTo(bound);
				blocking.get().permits.release(1000);
				ObjectMetadata meta = result.get(60, java.util.concurrent.TimeUnit.SECONDS);
				assertThat(meta.size()).isEqualTo(data.length);
				assertThat(StorageTck.sha256(storage.readAllBytes("big.bin").block(TIMEOUT)))
					.isEqualTo(StorageTck.sha256(data));
			}
		}
		finally {
			blocking.get().permits.release(1000);
			dedicated.stop();
		}
	}

	@Test
	void aCancelledMultipartUploadIsAborted() throws Exception {
		AtomicReference<BlockingBlobStore> blocking = new AtomicReference<>();
		S3ProxyServer dedicated = S3ProxyServer.dedicated((store) -> {
			blocking.set(new BlockingBlobStore(store));
			return blocking.get();
		});
		String prefix = prefix("cancel");
		S3Settings settings = dedicated.settings(prefix).toBuilder().partSize(5 * MIB).build();
		try (S3AsyncClient client = S3Backend.createClient(settings); ObjectStorage storage = storage(settings)) {
			blocking.get().permits.drainPermits();
			Disposable write = storage.write("cancelled.bin", counted(StorageTck.randomBytes(30 * MIB, 3), 64 * 1024,
					new AtomicLong())).subscribe();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (blocking.get().partsStarted.get() < 1 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(openUploads(client, prefix)).hasSize(1);
			write.dispose();
			blocking.get().permits.release(1000);
			while (!openUploads(client, prefix).isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(openUploads(client, prefix)).as("open multipart uploads").isEmpty();
			assertThat(storage.exists("cancelled.bin").block(TIMEOUT)).isFalse();
		}
		finally {
			blocking.get().permits.release(1000);
			dedicated.stop();
		}
	}

	@Test
	void aSourceThatFailsDuringAMultipartUploadAbortsIt() {
		String prefix = prefix("fail");
		// one part in flight: the upload starts with the first part, before the source fails
		S3Settings settings = server.settings(prefix).toBuilder().partSize(5 * MIB).partsInFlight(1).build();
		try (ObjectStorage storage = storage(settings)) {
			Flux<DataBuffer> failing = Flux.concat(counted(StorageTck.randomBytes(12 * MIB, 4), 64 * 1024, new AtomicLong()),
					Flux.error(new IllegalStateException("source broke")));
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.write("failed.bin", failing).block(TIMEOUT));
			assertThat(ex).isNotNull();
			assertThat(openUploads(raw, prefix)).isEmpty();
			assertThat(storage.exists("failed.bin").block(TIMEOUT)).isFalse();
		}
	}

	@Test
	void largeObjectsAreCopiedPartByPart() {
		String prefix = prefix("copy");
		S3Settings settings = server.settings(prefix)
			.toBuilder()
			.partSize(5 * MIB)
			.multipartCopyThreshold(6 * MIB)
			.build();
		byte[] data = StorageTck.randomBytes(13 * MIB, 5);
		try (ObjectStorage storage = storage(settings)) {
			storage.write("source.bin", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(data)),
					WriteOptions.defaults().withContentType("application/x-big").withUserMetadata(Map.of("k", "v")))
				.block(TIMEOUT);
			storage.copy("source.bin", "target.bin").block(TIMEOUT);
			assertThat(StorageTck.sha256(storage.readAllBytes("target.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(data));
			ObjectMetadata meta = storage.stat("target.bin").block(TIMEOUT);
			assertThat(meta.contentType()).isEqualTo("application/x-big");
			assertThat(meta.userMetadata()).containsEntry("k", "v");
			assertThat(openUploads(raw, prefix)).isEmpty();
		}
	}

	@Test
	void prefixesKeepStoragesApartAndDirectoryMarkersAreNotObjects() {
		String prefix = prefix("iso");
		try (ObjectStorage one = storage(server.settings(prefix + "/one"));
				ObjectStorage two = storage(server.settings(prefix + "/two"))) {
			one.write("file", "1".getBytes()).block(TIMEOUT);
			two.write("file", "2".getBytes()).block(TIMEOUT);
			raw.putObject((b) -> b.bucket(S3ProxyServer.BUCKET).key(prefix + "/one/marker/"),
					AsyncRequestBody.fromBytes(new byte[0])).join();
			assertThat(new String(one.readAllBytes("file").block(TIMEOUT), StandardCharsets.UTF_8)).isEqualTo("1");
			assertThat(one.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path).collectList()
				.block(TIMEOUT)).containsExactly("file");
		}
	}

	@Test
	void wrongCredentialsArePermissionDenied() {
		S3Settings settings = server.settings(prefix("creds"))
			.toBuilder()
			.credentials(S3ProxyServer.ACCESS_KEY, "wrong-secret")
			.build();
		try (ObjectStorage storage = storage(settings)) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.stat("anything").block(TIMEOUT));
			assertThat(ex.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
			assertThat(ex.isTemporary()).isFalse();
			assertThat(ex.getMessage()).doesNotContain("wrong-secret");
			// S3Proxy answers 403 before it reads a PUT's body and closes the connection, so the client
			// sometimes sees the closed connection first (a temporary error) rather than the 403
			StorageException write = catchThrowableOfType(StorageException.class,
					() -> storage.write("x", "x".getBytes()).block(TIMEOUT));
			assertThat(write.kind()).isIn(ErrorKind.PERMISSION_DENIED, ErrorKind.UNEXPECTED);
			assertThat(write.getMessage()).doesNotContain("wrong-secret");
		}
	}

	@Test
	void aMissingBucketIsAConfigurationError() {
		S3Settings settings = server.settings("").toBuilder().bucket("no-such-bucket").maxConnections(8).build();
		try (ObjectStorage storage = storage(settings)) {
			// a listing, not a write: S3Proxy refuses a PUT before reading its body and closes the
			// connection, which the client may see before the NoSuchBucket answer
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.list("").collectList().block(TIMEOUT));
			assertThat(ex.kind()).isEqualTo(ErrorKind.CONFIG_INVALID);
			assertThat(ex.getMessage()).contains("bucket");
		}
	}

	@Test
	void anUnreachableServerIsATemporaryError() {
		S3Settings settings = server.settings("x").toBuilder().endpoint(URI.create("http://127.0.0.1:9")).build();
		try (ObjectStorage storage = storage(settings)) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.stat("x").block(TIMEOUT));
			assertThat(ex.kind()).isIn(ErrorKind.UNEXPECTED, ErrorKind.TIMEOUT);
			assertThat(ex.isTemporary()).isTrue();
		}
	}

	@Test
	void locationAndSettingsNeverShowTheSecret() {
		S3Settings settings = server.settings("loc");
		assertThat(settings.toString()).doesNotContain(S3ProxyServer.SECRET_KEY).contains("******");
		try (ObjectStorage storage = storage(settings)) {
			assertThat(storage.location()).startsWith("s3://" + S3ProxyServer.BUCKET + "/loc/")
				.doesNotContain(S3ProxyServer.SECRET_KEY);
		}
	}

	@Test
	void theConditionalWriteProbePassesOnAServerThatHonoursConditionsAndLeavesNothingBehind() {
		String prefix = prefix("probe");
		S3Settings settings = server.settings(prefix);
		assertThat(settings.conditionalWrites()).isEqualTo(S3Settings.ConditionalWrites.AUTO);
		assertThat(settings.checksums()).isEqualTo(S3Settings.Checksums.WHEN_SUPPORTED);
		try (ObjectStorage storage = storage(settings)) {
			ObjectMetadata created = storage.write("p.txt", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("1".getBytes())),
					WriteOptions.defaults().withIfNotExists(true)).block(TIMEOUT);
			assertThat(catchThrowableOfType(StorageException.class, () -> storage.write("p.txt",
					Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("2".getBytes())),
					WriteOptions.defaults().withIfNotExists(true)).block(TIMEOUT)).kind())
				.isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			storage.write("p.txt", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("3".getBytes())),
					WriteOptions.defaults().withIfMatch(created.etag())).block(TIMEOUT);
			assertThat(storage.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path).collectList()
				.block(TIMEOUT)).containsExactly("p.txt");
		}
		assertThat(openUploads(raw, prefix)).isEmpty();
	}

	@Test
	void settingsDefaultToSdkChecksumsAndProbedConditionalWrites() {
		S3Settings settings = S3Settings.builder().bucket("b").build();
		assertThat(settings.checksums()).isEqualTo(S3Settings.Checksums.WHEN_SUPPORTED);
		assertThat(settings.conditionalWrites()).isEqualTo(S3Settings.ConditionalWrites.AUTO);
		assertThat(settings.toBuilder().checksums(S3Settings.Checksums.WHEN_REQUIRED).build().checksums())
			.isEqualTo(S3Settings.Checksums.WHEN_REQUIRED);
		assertThat(settings.toBuilder().conditionalWrites(S3Settings.ConditionalWrites.DISABLED).prefix("x").build()
			.conditionalWrites()).isEqualTo(S3Settings.ConditionalWrites.DISABLED);
		assertThat(settings.toString()).contains("checksums=WHEN_SUPPORTED").contains("conditionalWrites=AUTO");
	}

}
