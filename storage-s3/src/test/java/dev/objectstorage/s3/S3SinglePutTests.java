package dev.objectstorage.s3;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.Etags;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Where a write is one {@code PutObject} and where a multipart upload, against a real S3 server (an
 * S3Proxy of its own, whose store records the requests that reach it): with parts of 5 MiB and 2 in
 * flight, a content that ends within 2 parts is one {@code PutObject} of all its bytes, one byte more
 * is a multipart upload of 3 parts; conditions, metadata and both kinds of checksums hold on either
 * side of that boundary.
 */
class S3SinglePutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int PART = 5 * 1024 * 1024;

	private static final int PARTS_IN_FLIGHT = 2;

	private static final List<String> SINGLE_PUT = List.of("put");

	private static S3ProxyServer server;

	private static CountingBlobStore store;

	@BeforeAll
	static void start() {
		AtomicReference<CountingBlobStore> counting = new AtomicReference<>();
		server = S3ProxyServer.dedicated((delegate) -> {
			counting.set(new CountingBlobStore(delegate));
			return counting.get();
		});
		store = counting.get();
	}

	@AfterAll
	static void stop() throws Exception {
		server.stop();
	}

	private static S3Settings settings(String name, S3Settings.Checksums checksums) {
		return server.settings("single-" + name + "-" + System.nanoTime())
			.toBuilder()
			.partSize(PART)
			.partsInFlight(PARTS_IN_FLIGHT)
			.checksums(checksums)
			.build();
	}

	private static ObjectStorage storage(S3Settings settings) {
		return ObjectStorage.builder().name("s3-single-put").backend(new S3Backend(settings)).build();
	}

	/** The content in buffers of an odd size, so that no part boundary falls on a buffer boundary. */
	private static Flux<DataBuffer> chunks(byte[] data, int chunk) {
		return Flux.range(0, (data.length + chunk - 1) / chunk).map((i) -> {
			int n = Math.min(chunk, data.length - i * chunk);
			return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(data, i * chunk, i * chunk + n));
		});
	}

	private static String md5(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
	}

	/** The requests a write must have made: one {@code PutObject}, or a multipart upload of so many parts. */
	private static List<String> expectedRequests(int size) {
		int parts = Math.max(1, (size + PART - 1) / PART);
		if (parts <= PARTS_IN_FLIGHT) {
			return SINGLE_PUT;
		}
		String[] requests = new String[parts + 2];
		requests[0] = "create";
		Arrays.fill(requests, 1, parts + 1, "part");
		requests[parts + 1] = "complete";
		return List.of(requests);
	}

	@ParameterizedTest(name = "{0} bytes, checksums {1}")
	@CsvSource({ "0, WHEN_SUPPORTED", "1, WHEN_SUPPORTED", "5242880, WHEN_SUPPORTED", "5242881, WHEN_SUPPORTED",
			"10485760, WHEN_SUPPORTED", "10485761, WHEN_SUPPORTED", "16777216, WHEN_SUPPORTED",
			"5242881, WHEN_REQUIRED", "10485760, WHEN_REQUIRED", "10485761, WHEN_REQUIRED" })
	void aContentWithinPartsInFlightPartsIsOnePutObjectOfAllItsBytes(int size, S3Settings.Checksums checksums)
			throws Exception {
		S3Settings settings = settings("size", checksums);
		byte[] data = StorageTck.randomBytes(size, size);
		try (ObjectStorage storage = storage(settings)) {
			ObjectMetadata written = storage.write("object.bin", chunks(data, 77_777),
					WriteOptions.defaults().withContentType("application/x-test").withUserMetadata(Map.of("k", "v")))
				.block(TIMEOUT);
			assertThat(store.requests(settings.prefix() + "object.bin")).isEqualTo(expectedRequests(size));
			assertThat(written.size()).isEqualTo(size);
			if (expectedRequests(size).equals(SINGLE_PUT)) {
				assertThat(written.etag()).as("a PutObject's entity tag is the MD5 of its bytes")
					.isEqualTo(Etags.quote(md5(data)));
			}
			assertThat(StorageTck.sha256(storage.readAllBytes("object.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(data));
			ObjectMetadata stat = storage.stat("object.bin").block(TIMEOUT);
			assertThat(stat.size()).isEqualTo(size);
			assertThat(stat.etag()).isEqualTo(written.etag());
			assertThat(stat.contentType()).isEqualTo("application/x-test");
			assertThat(stat.userMetadata()).containsEntry("k", "v");
		}
	}

	@Test
	void theServerRefusesAPutObjectWhoseContentMd5IsNotThatOfItsBytes() {
		// what makes the WHEN_REQUIRED cases above meaningful: a Content-MD5 of fewer bytes than sent fails
		S3Settings settings = settings("md5", S3Settings.Checksums.WHEN_REQUIRED);
		byte[] data = StorageTck.randomBytes(2 * PART, 7);
		String firstPartOnly = S3Writer.contentMd5(
				new dev.objectstorage.spi.ContentChunks.Chunk(0, data, PART, false));
		try (S3AsyncClient client = S3Backend.createClient(settings)) {
			Throwable refused = catchThrowable(() -> client.putObject((b) -> b.bucket(settings.bucket())
				.key(settings.prefix() + "md5.bin")
				.contentMD5(firstPartOnly), AsyncRequestBody.fromBytes(data)).join());
			assertThat(refused).isNotNull();
			assertThat(S3Errors.isStatus(refused, 400)).as("refused with 400: %s", refused).isTrue();
		}
	}

	@ParameterizedTest(name = "{0} bytes")
	@CsvSource({ "10485760", "10485761" })
	void conditionsHoldOnEitherSideOfTheBoundary(int size) {
		S3Settings settings = settings("conditions", S3Settings.Checksums.WHEN_SUPPORTED);
		byte[] first = StorageTck.randomBytes(size, 11);
		byte[] second = StorageTck.randomBytes(size, 12);
		byte[] third = StorageTck.randomBytes(size, 13);
		try (ObjectStorage storage = storage(settings)) {
			StorageException missing = catchThrowableOfType(StorageException.class, () -> storage
				.write("c.bin", chunks(first, 65_536), WriteOptions.defaults().withIfMatch("\"0123\"")).block(TIMEOUT));
			assertThat(missing.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			assertThat(storage.exists("c.bin").block(TIMEOUT)).isFalse();

			ObjectMetadata created = storage
				.write("c.bin", chunks(first, 65_536), WriteOptions.defaults().withIfNotExists(true))
				.block(TIMEOUT);
			StorageException exists = catchThrowableOfType(StorageException.class, () -> storage
				.write("c.bin", chunks(second, 65_536), WriteOptions.defaults().withIfNotExists(true)).block(TIMEOUT));
			assertThat(exists.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			assertThat(StorageTck.sha256(storage.readAllBytes("c.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(first));

			ObjectMetadata replaced = storage
				.write("c.bin", chunks(second, 65_536), WriteOptions.defaults().withIfMatch(created.etag()))
				.block(TIMEOUT);
			assertThat(replaced.etag()).isNotEqualTo(created.etag());
			StorageException stale = catchThrowableOfType(StorageException.class, () -> storage
				.write("c.bin", chunks(third, 65_536), WriteOptions.defaults().withIfMatch(created.etag()))
				.block(TIMEOUT));
			assertThat(stale.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			assertThat(StorageTck.sha256(storage.readAllBytes("c.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(second));
		}
		List<String> requests = store.requests(settings.prefix() + "c.bin");
		if (expectedRequests(size).equals(SINGLE_PUT)) {
			assertThat(requests).containsOnly("put");
		}
		else {
			assertThat(requests).doesNotContain("put").contains("create", "part", "complete");
		}
	}

	@Test
	void aWriteOfPartsInFlightWholeBuffersIsOnePutObject() throws Exception {
		// the content's buffers are whole parts: the part boundaries fall on buffer boundaries
		S3Settings settings = settings("whole", S3Settings.Checksums.WHEN_REQUIRED);
		byte[] data = StorageTck.randomBytes(2 * PART, 21);
		try (ObjectStorage storage = storage(settings)) {
			ObjectMetadata written = storage.write("whole.bin", chunks(data, PART)).block(TIMEOUT);
			assertThat(store.requests(settings.prefix() + "whole.bin")).isEqualTo(SINGLE_PUT);
			assertThat(written.etag()).isEqualTo(Etags.quote(md5(data)));
			assertThat(StorageTck.sha256(storage.readAllBytes("whole.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(data));
		}
	}

}
