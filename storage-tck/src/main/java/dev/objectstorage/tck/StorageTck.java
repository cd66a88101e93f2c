package dev.objectstorage.tck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What every behaviour group of the suite shares: the storage under test and helpers. The groups
 * ({@link ReadBehaviour}, {@link WriteBehaviour}, ...) are JUnit 5 test interfaces; a backend's
 * test extends {@link StorageBehaviourTests}, which implements them all.
 */
public interface StorageTck {

	/** How long blocking test calls may take before the test fails (a hang is a failure). */
	Duration TIMEOUT = Duration.ofSeconds(60);

	/**
	 * How long the leak check waits for buffers released on other threads (after a cancel, say). It
	 * returns as soon as all are released: the bound is for a busy or slow machine, not a measure of speed.
	 */
	Duration RELEASE_WAIT = Duration.ofSeconds(30);

	/**
	 * The storage under test: fresh for each test, on a random root.
	 * @return the storage
	 */
	ObjectStorage storage();

	/**
	 * The buffer factory that tracks leaks; write content in tests is allocated from it.
	 * @return the factory
	 */
	LeakTrackingBufferFactory buffers();

	/**
	 * The layer that counts the calls that reach the backend.
	 * @return the layer
	 */
	CallRecordingLayer backendCalls();

	// ---------------------------------------------------------------- helpers

	/** Deterministic pseudo-random bytes. */
	static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The bytes as tracked buffers of at most {@code chunkSize} bytes, allocated on subscription. */
	default Flux<DataBuffer> chunks(byte[] bytes, int chunkSize) {
		return Flux.defer(() -> {
			List<DataBuffer> buffers = new ArrayList<>();
			for (int offset = 0; offset < bytes.length; offset += chunkSize) {
				int n = Math.min(chunkSize, bytes.length - offset);
				DataBuffer buffer = buffers().allocateBuffer(n);
				buffer.write(bytes, offset, n);
				buffers.add(buffer);
			}
			return Flux.fromIterable(buffers);
		});
	}

	/** Streams the bytes in chunks, allocating each buffer only when it is requested. */
	default Flux<DataBuffer> lazyChunks(byte[] bytes, int chunkSize) {
		int count = (bytes.length + chunkSize - 1) / chunkSize;
		return Flux.range(0, count).map((i) -> {
			int offset = i * chunkSize;
			int n = Math.min(chunkSize, bytes.length - offset);
			DataBuffer buffer = buffers().allocateBuffer(n);
			buffer.write(bytes, offset, n);
			return buffer;
		});
	}

	default ObjectMetadata write(String path, byte[] bytes) {
		return write(path, bytes, WriteOptions.defaults());
	}

	default ObjectMetadata write(String path, byte[] bytes, WriteOptions options) {
		return storage().write(path, chunks(bytes, 64 * 1024), options).block(TIMEOUT);
	}

	default ObjectMetadata write(String path, String text) {
		return write(path, utf8(text));
	}

	/** Collects a stream of buffers into an array, releasing each buffer. */
	static byte[] collect(Flux<DataBuffer> flux) {
		return flux.collect(java.io.ByteArrayOutputStream::new, (out, buffer) -> {
			try {
				byte[] chunk = new byte[buffer.readableByteCount()];
				buffer.read(chunk);
				out.write(chunk, 0, chunk.length);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).map(java.io.ByteArrayOutputStream::toByteArray).block(TIMEOUT);
	}

	default byte[] read(String path) {
		return collect(storage().read(path));
	}

	default String readText(String path) {
		return new String(read(path), StandardCharsets.UTF_8);
	}

	default boolean exists(String path) {
		return Boolean.TRUE.equals(storage().exists(path).block(TIMEOUT));
	}

	/** Runs the call and returns the {@link StorageException} it throws, failing if it throws none. */
	static StorageException storageError(ThrowingCallable call) {
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).as("expected a StorageException").isInstanceOf(StorageException.class);
		return (StorageException) thrown;
	}

	/** Asserts that the call fails with a {@link StorageException} of the given kind. */
	static StorageException assertKind(ErrorKind kind, ThrowingCallable call) {
		StorageException ex = storageError(call);
		assertThat(ex.kind()).as("kind of " + ex).isEqualTo(kind);
		return ex;
	}

}
