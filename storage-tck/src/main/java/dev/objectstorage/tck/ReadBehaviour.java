package dev.objectstorage.tck;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.collect;
import static dev.objectstorage.tck.StorageTck.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads: whole objects, ranges, empty and missing objects, laziness, backpressure and cancellation.
 */
public interface ReadBehaviour extends StorageTck {

	@Test
	@DisplayName("read returns the whole object")
	default void readWholeObject() {
		byte[] data = randomBytes(300_000, 1);
		write("read/whole.bin", data);
		assertThat(read("read/whole.bin")).isEqualTo(data);
	}

	@Test
	@DisplayName("read of an empty object completes without bytes")
	default void readEmptyObject() {
		write("read/empty", new byte[0]);
		assertThat(read("read/empty")).isEmpty();
	}

	@Test
	@DisplayName("read of a missing object fails with NOT_FOUND, naming operation, path and storage")
	default void readMissingObject() {
		StorageException ex = assertKind(ErrorKind.NOT_FOUND, () -> read("read/missing"));
		assertThat(ex.operation()).isEqualTo(Operation.READ);
		assertThat(ex.path()).isEqualTo("read/missing");
		assertThat(ex.storageName()).isEqualTo(storage().name());
		assertThat(ex.isTemporary()).isFalse();
	}

	@Test
	@DisplayName("read does nothing until subscribed")
	default void readIsLazy() {
		Flux<DataBuffer> flux = storage().read("read/missing");
		write("read/missing", "now it exists");
		assertThat(collect(flux)).isEqualTo(StorageTck.utf8("now it exists"));
	}

	@Test
	@DisplayName("a range at the start, in the middle and at the end returns exactly those bytes")
	default void readRanges() {
		assumeTrue(storage().capabilities().readWithRange());
		byte[] data = randomBytes(10_000, 2);
		write("read/range.bin", data);
		assertThat(collect(storage().read("read/range.bin", ReadOptions.range(0, 10))))
			.isEqualTo(Arrays.copyOfRange(data, 0, 10));
		assertThat(collect(storage().read("read/range.bin", ReadOptions.range(4321, 1000))))
			.isEqualTo(Arrays.copyOfRange(data, 4321, 5321));
		assertThat(collect(storage().read("read/range.bin", ReadOptions.range(9990, 10))))
			.isEqualTo(Arrays.copyOfRange(data, 9990, 10_000));
		assertThat(collect(storage().read("read/range.bin", ReadOptions.range(9999, 1))))
			.isEqualTo(Arrays.copyOfRange(data, 9999, 10_000));
	}

	@Test
	@DisplayName("an open-ended range returns everything from the offset")
	default void readOpenEndedRange() {
		assumeTrue(storage().capabilities().readWithRange());
		byte[] data = randomBytes(5000, 3);
		write("read/open.bin", data);
		assertThat(collect(storage().read("read/open.bin", ReadOptions.range(1234, -1))))
			.isEqualTo(Arrays.copyOfRange(data, 1234, 5000));
	}

	@Test
	@DisplayName("a range that runs past the end returns the bytes up to the end")
	default void readRangePastEnd() {
		assumeTrue(storage().capabilities().readWithRange());
		byte[] data = randomBytes(1000, 4);
		write("read/past.bin", data);
		assertThat(collect(storage().read("read/past.bin", ReadOptions.range(900, 500))))
			.isEqualTo(Arrays.copyOfRange(data, 900, 1000));
		assertThat(collect(storage().read("read/past.bin", ReadOptions.range(0, Long.MAX_VALUE))))
			.isEqualTo(data);
	}

	@Test
	@DisplayName("a range that starts at or past the end fails with RANGE_NOT_SATISFIABLE")
	default void readRangeStartingAtEnd() {
		assumeTrue(storage().capabilities().readWithRange());
		write("read/short.bin", randomBytes(100, 5));
		assertKind(ErrorKind.RANGE_NOT_SATISFIABLE,
				() -> collect(storage().read("read/short.bin", ReadOptions.range(100, 10))));
		assertKind(ErrorKind.RANGE_NOT_SATISFIABLE,
				() -> collect(storage().read("read/short.bin", ReadOptions.range(5000, -1))));
	}

	@Test
	@DisplayName("a zero-length range returns no bytes, and still fails for a missing object")
	default void readZeroLengthRange() {
		assumeTrue(storage().capabilities().readWithRange());
		write("read/zero.bin", randomBytes(100, 6));
		assertThat(collect(storage().read("read/zero.bin", ReadOptions.range(10, 0)))).isEmpty();
		assertKind(ErrorKind.NOT_FOUND, () -> collect(storage().read("read/nothing", ReadOptions.range(0, 0))));
	}

	@Test
	@DisplayName("a range read of an empty object from offset 0 returns no bytes")
	default void readRangeOfEmptyObject() {
		assumeTrue(storage().capabilities().readWithRange());
		write("read/empty-range", new byte[0]);
		assertThat(collect(storage().read("read/empty-range", ReadOptions.range(0, 10)))).isEmpty();
	}

	@Test
	@DisplayName("a read with a small buffer size still returns exactly the object")
	default void readWithSmallBuffers() {
		byte[] data = randomBytes(100_000, 7);
		write("read/small-buffers.bin", data);
		assertThat(collect(storage().read("read/small-buffers.bin", ReadOptions.defaults().withBufferSize(1000))))
			.isEqualTo(data);
	}

	@Test
	@DisplayName("a read requests only what the subscriber asks for, and cancelling it releases everything")
	default void readCancelledAfterFirstBuffer() {
		byte[] data = randomBytes(3 * 1024 * 1024, 8);
		write("read/cancel.bin", data);
		AtomicInteger received = new AtomicInteger();
		StepVerifier.create(storage().read("read/cancel.bin", ReadOptions.defaults().withBufferSize(8192)), 1)
			.consumeNextWith((buffer) -> {
				received.addAndGet(buffer.readableByteCount());
				DataBufferUtils.release(buffer);
			})
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(received.get()).isPositive().isLessThan(data.length);
		// the object is still readable after a cancelled read
		assertThat(sha(read("read/cancel.bin"))).isEqualTo(sha(data));
	}

	@Test
	@DisplayName("a reader during an overwrite sees one whole version, or fails with CONDITION_NOT_MATCH; never a splice of two")
	default void readDuringOverwriteSeesOneVersion() {
		byte[] v1 = randomBytes(2 * 1024 * 1024, 9);
		byte[] v2 = randomBytes(2 * 1024 * 1024, 10);
		write("read/versions.bin", v1);
		java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
		java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
		// a backend that cannot pin a read to its version (a server whose open files follow their
		// path) may fail it with CONDITION_NOT_MATCH instead; it must never splice two versions
		Flux<DataBuffer> read = storage().read("read/versions.bin", ReadOptions.defaults().withBufferSize(8192))
			.onErrorResume((ex) -> {
				failed.set(ex);
				return Flux.empty();
			});
		StepVerifier.create(read, 1)
			.consumeNextWith((buffer) -> copyAndRelease(buffer, seen))
			.then(() -> write("read/versions.bin", v2))
			.thenRequest(Long.MAX_VALUE)
			.thenConsumeWhile((buffer) -> {
				copyAndRelease(buffer, seen);
				return true;
			})
			.expectComplete()
			.verify(TIMEOUT);
		byte[] bytes = seen.toByteArray();
		if (failed.get() != null) {
			assertThat(failed.get()).isInstanceOf(StorageException.class);
			assertThat(((StorageException) failed.get()).kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
		}
		else {
			assertThat(sha(bytes)).as("a reader sees one whole version").isIn(sha(v1), sha(v2));
		}
		assertThat(read("read/versions.bin")).isEqualTo(v2);
	}

	private static void copyAndRelease(DataBuffer buffer, java.io.ByteArrayOutputStream out) {
		byte[] chunk = new byte[buffer.readableByteCount()];
		buffer.read(chunk);
		out.write(chunk, 0, chunk.length);
		DataBufferUtils.release(buffer);
	}

	private static String sha(byte[] bytes) {
		return StorageTck.sha256(bytes);
	}

}
