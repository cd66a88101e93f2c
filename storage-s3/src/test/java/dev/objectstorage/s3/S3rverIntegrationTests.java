package dev.objectstorage.s3;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the S3 backend does about s3rver's older semantics (see {@link S3rverServer}): with
 * {@code checksums=WHEN_REQUIRED} every object round-trips byte for byte, by single {@code PutObject}
 * and by multipart upload alike; with {@code conditionalWrites=AUTO} the probe finds that s3rver
 * ignores conditions on writes, and conditional writes are refused instead of overwriting.
 */
class S3rverIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int MIB = 1024 * 1024;

	private static String prefix(String name) {
		return "it-" + name + "-" + System.nanoTime();
	}

	private static ObjectStorage storage(S3Settings settings) {
		return ObjectStorage.builder().name("s3rver-test").backend(new S3Backend(settings)).build();
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** The content in buffers of an odd size, so that no part boundary falls on a buffer boundary. */
	private static Flux<DataBuffer> chunks(byte[] data, int chunk) {
		return Flux.range(0, (data.length + chunk - 1) / chunk).map((i) -> {
			int n = Math.min(chunk, data.length - i * chunk);
			return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(data, i * chunk, i * chunk + n));
		});
	}

	private static byte[] read(ObjectStorage storage, String path) {
		return DataBufferUtils.join(storage.read(path, ReadOptions.defaults())).map((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		}).defaultIfEmpty(new byte[0]).block(TIMEOUT);
	}

	/** The bytes s3rver stores, read with a plain client of its own (no checks of this library). */
	private static byte[] stored(S3Settings settings, String path) {
		try (S3AsyncClient client = S3Backend.createClient(settings)) {
			return client.getObject((b) -> b.bucket(settings.bucket()).key(settings.prefix() + path),
					AsyncResponseTransformer.toBytes()).join().asByteArray();
		}
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 4321, 65_537, 5 * MIB - 1, 5 * MIB, 5 * MIB + 1, 12 * MIB + 4321, 20 * MIB,
			20 * MIB + 1 })
	void whenRequiredChecksumsRoundTripEveryByte(int size) throws Exception {
		S3Settings settings = S3rverServer.get().settings(prefix("checksums")).toBuilder().partSize(5 * MIB).build();
		assertThat(settings.checksums()).isEqualTo(S3Settings.Checksums.WHEN_REQUIRED);
		byte[] data = random(size, size);
		try (ObjectStorage storage = storage(settings)) {
			ObjectMetadata written = storage.write("odd.bin", chunks(data, 77_777), WriteOptions.defaults())
				.block(TIMEOUT);
			assertThat(written.size()).isEqualTo(size);
			// up to partsInFlight (4) parts of 5 MiB are one PutObject (with a Content-MD5 of all its bytes),
			// whose entity tag is the MD5 of its bytes; one byte more is a multipart upload (s3rver gives
			// those an MD5 without the parts' count; S3SinglePutTests tells the two apart on S3Proxy)
			if (size <= 4 * 5 * MIB) {
				assertThat(written.etag()).isEqualTo("\"" + HexFormat.of()
					.formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"");
			}
			assertThat(storage.stat("odd.bin").block(TIMEOUT).size()).isEqualTo(size);
			assertThat(read(storage, "odd.bin")).isEqualTo(data);
			assertThat(stored(settings, "odd.bin")).as("what the server stores").isEqualTo(data);
			storage.delete("odd.bin").block(TIMEOUT);
		}
	}

	@Test
	void sdkDefaultChecksumsAreStoredAsContentByS3rver() {
		// why the setting exists: s3rver keeps the aws-chunked framing and trailer of a PutObject as the content
		S3Settings settings = S3rverServer.get()
			.settings(prefix("framing"))
			.toBuilder()
			.checksums(S3Settings.Checksums.WHEN_SUPPORTED)
			.build();
		byte[] data = random(4321, 4321);
		try (ObjectStorage storage = storage(settings)) {
			storage.write("framed.bin", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(data)),
					WriteOptions.defaults()).block(TIMEOUT);
			byte[] stored = stored(settings.toBuilder().checksums(S3Settings.Checksums.WHEN_REQUIRED).build(),
					"framed.bin");
			assertThat(stored).isNotEqualTo(data);
			assertThat(stored.length).isGreaterThan(data.length);
			storage.delete("framed.bin").block(TIMEOUT);
		}
	}

	@Test
	void autoRefusesConditionalWritesWhereTheServerIgnoresThem() {
		S3Settings settings = S3rverServer.get()
			.settings(prefix("auto"))
			.toBuilder()
			.conditionalWrites(S3Settings.ConditionalWrites.AUTO)
			.build();
		try (ObjectStorage storage = storage(settings)) {
			assertThat(storage.capabilities().writeWithIfNotExists()).isTrue();
			assertThat(storage.capabilities().writeWithIfMatch()).isTrue();
			ObjectMetadata original = storage
				.write("kept.txt", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("original".getBytes())),
						WriteOptions.defaults())
				.block(TIMEOUT);

			StorageException ifNotExists = catchThrowableOfType(StorageException.class,
					() -> storage.write("kept.txt",
							Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("replacement".getBytes())),
							WriteOptions.defaults().withIfNotExists(true)).block(TIMEOUT));
			assertThat(ifNotExists.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
			assertThat(ifNotExists.getMessage()).contains("If-None-Match").contains("conditionalWrites");

			StorageException ifMatch = catchThrowableOfType(StorageException.class,
					() -> storage.write("kept.txt",
							Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("replacement".getBytes())),
							WriteOptions.defaults().withIfMatch(original.etag())).block(TIMEOUT));
			assertThat(ifMatch.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
			assertThat(ifMatch.getMessage()).contains("If-Match").contains("conditionalWrites");

			assertThat(new String(read(storage, "kept.txt"))).isEqualTo("original");
			// the probe cleaned up after itself
			List<String> left = storage.list("", ListOptions.defaults().withRecursive(true))
				.map(ObjectEntry::path)
				.collectList()
				.block(TIMEOUT);
			assertThat(left).containsExactly("kept.txt");
			storage.delete("kept.txt").block(TIMEOUT);
		}
	}

	@Test
	void disabledTurnsTheCapabilitiesOffAndRefusesBeforeAnyRequest() {
		S3Settings settings = S3rverServer.get().settings(prefix("disabled"));
		assertThat(settings.conditionalWrites()).isEqualTo(S3Settings.ConditionalWrites.DISABLED);
		try (S3Backend backend = new S3Backend(settings)) {
			assertThat(backend.capabilities().writeWithIfNotExists()).isFalse();
			assertThat(backend.capabilities().writeWithIfMatch()).isFalse();
			StorageException refused = catchThrowableOfType(StorageException.class,
					() -> backend.write("x", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(new byte[] { 1 })),
							WriteOptions.defaults().withIfNotExists(true)).block(TIMEOUT));
			assertThat(refused.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
			assertThat(backend.stat("x").onErrorResume((ex) -> reactor.core.publisher.Mono.empty()).block(TIMEOUT))
				.isNull();
		}
	}

	@Test
	void aListingOutOfOrderIsSortedWhenItIsOnePageAndRefusedWhenItPages() {
		// s3rver lists in the order it walks its directories ('a/b' before 'a!'), and pages by comparison
		try (ObjectStorage storage = storage(S3rverServer.get().settings(prefix("order")))) {
			for (String name : List.of("a!", "a-b", "a/b", "b")) {
				storage.write(name, Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(name.getBytes())),
						WriteOptions.defaults()).block(TIMEOUT);
			}
			assertThat(storage.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path)
				.collectList().block(TIMEOUT)).containsExactly("a!", "a-b", "a/b", "b");
			StorageException paged = catchThrowableOfType(StorageException.class,
					() -> storage.list("", ListOptions.defaults().withRecursive(true).withLimit(2))
						.map(ObjectEntry::path)
						.collectList()
						.block(TIMEOUT));
			assertThat(paged.kind()).isEqualTo(ErrorKind.UNEXPECTED);
			assertThat(paged.getMessage()).contains("order");
			storage.deleteAll(Flux.just("a!", "a-b", "a/b", "b")).block(TIMEOUT);
		}
	}

}
