package dev.objectstorage.tck;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import dev.objectstorage.ErrorKind;

import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.StorageOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;

import static dev.objectstorage.tck.StorageTck.randomBytes;
import static dev.objectstorage.tck.StorageTck.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The blocking adapters: {@code openInputStream}, {@code openOutputStream} and {@code resource}.
 */
public interface StreamAdapterBehaviour extends StorageTck {

	@Test
	@DisplayName("openInputStream reads the whole object")
	default void inputStreamReadsObject() throws IOException {
		byte[] data = randomBytes(3 * 1024 * 1024 + 17, 1);
		write("io/in.bin", data);
		try (InputStream in = storage().openInputStream("io/in.bin")) {
			assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(data));
			assertThat(in.read()).isEqualTo(-1);
		}
	}

	@Test
	@DisplayName("openInputStream reads a range")
	default void inputStreamReadsRange() throws IOException {
		assumeTrue(storage().capabilities().readWithRange());
		byte[] data = randomBytes(10_000, 2);
		write("io/range.bin", data);
		try (InputStream in = storage().openInputStream("io/range.bin", ReadOptions.range(100, 50))) {
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 100, 150));
		}
	}

	@Test
	@DisplayName("closing an InputStream early cancels the read and releases its buffers")
	default void inputStreamClosedEarly() throws IOException {
		byte[] data = randomBytes(4 * 1024 * 1024, 3);
		write("io/early.bin", data);
		try (InputStream in = storage().openInputStream("io/early.bin", ReadOptions.defaults().withBufferSize(8192))) {
			byte[] first = in.readNBytes(100);
			assertThat(first).isEqualTo(Arrays.copyOf(data, 100));
		}
		buffers().assertAllReleased(RELEASE_WAIT);
	}

	@Test
	@DisplayName("openInputStream reads an object delivered in small buffers, which it joins, byte for byte")
	default void inputStreamReadsSmallBuffers() throws IOException {
		byte[] data = randomBytes(1024 * 1024 + 17, 31);
		write("io/small.bin", data);
		// backends that honour bufferSize deliver 1000-byte buffers; the stream joins them before the reader
		try (InputStream in = storage().openInputStream("io/small.bin", ReadOptions.defaults().withBufferSize(1000))) {
			assertThat(in.read()).isEqualTo(data[0] & 0xFF);
			byte[] rest = in.readAllBytes();
			assertThat(rest.length).isEqualTo(data.length - 1);
			assertThat(sha256(rest)).isEqualTo(sha256(Arrays.copyOfRange(data, 1, data.length)));
			assertThat(in.read()).isEqualTo(-1);
		}
		buffers().assertAllReleased(RELEASE_WAIT);
	}

	@Test
	@DisplayName("closing an InputStream of small buffers midway releases the buffers requested ahead and those being joined")
	default void inputStreamOfSmallBuffersClosedMidway() throws IOException {
		byte[] data = randomBytes(4 * 1024 * 1024, 32);
		write("io/midway.bin", data);
		try (InputStream in = storage().openInputStream("io/midway.bin", ReadOptions.defaults().withBufferSize(1000))) {
			// past several joined buffers, into the middle of one
			byte[] first = in.readNBytes(300 * 1024 + 7);
			assertThat(first).isEqualTo(Arrays.copyOf(data, first.length));
		}
		buffers().assertAllReleased(RELEASE_WAIT);
	}

	@Test
	@DisplayName("an InputStream of a missing object throws an IOException caused by NOT_FOUND")
	default void inputStreamOfMissingObject() {
		Throwable thrown = catchThrowable(() -> {
			try (InputStream in = storage().openInputStream("io/missing")) {
				in.read();
			}
		});
		assertThat(thrown).isInstanceOf(IOException.class).hasCauseInstanceOf(StorageException.class);
		assertThat(((StorageException) thrown.getCause()).kind()).isEqualTo(ErrorKind.NOT_FOUND);
	}

	@Test
	@DisplayName("an OutputStream publishes the object on close, not before")
	default void outputStreamPublishesOnClose() throws IOException {
		byte[] data = randomBytes(3 * 1024 * 1024 + 5, 4);
		StorageOutputStream out = storage().openOutputStream("io/out.bin");
		int offset = 0;
		int step = 1;
		while (offset < data.length) {
			int n = Math.min(step, data.length - offset);
			out.write(data, offset, n);
			offset += n;
			step = step * 3 + 1;
			if (offset > 1024 * 1024) {
				assertThat(exists("io/out.bin")).as("visible before close").isFalse();
			}
		}
		out.write(7);
		out.close();
		byte[] expected = Arrays.copyOf(data, data.length + 1);
		expected[data.length] = 7;
		assertThat(sha256(read("io/out.bin"))).isEqualTo(sha256(expected));
		assertThat(out.metadata().size()).isEqualTo(expected.length);
	}

	@Test
	@DisplayName("an aborted OutputStream publishes nothing and keeps the old object")
	default void outputStreamAbort() throws IOException {
		write("io/abort.bin", "old");
		StorageOutputStream out = storage().openOutputStream("io/abort.bin");
		out.write(randomBytes(1024 * 1024, 5));
		out.abort();
		out.close();
		assertThat(readText("io/abort.bin")).isEqualTo("old");
		StorageOutputStream fresh = storage().openOutputStream("io/never.bin");
		fresh.write(randomBytes(100_000, 6));
		fresh.abort();
		assertThat(exists("io/never.bin")).isFalse();
	}

	@Test
	@DisplayName("closing an OutputStream whose write fails throws an IOException caused by the storage error")
	default void outputStreamFailure() throws IOException {
		assumeTrue(storage().capabilities().writeWithIfNotExists());
		write("io/taken", "x");
		StorageOutputStream out = storage().openOutputStream("io/taken",
				dev.objectstorage.WriteOptions.defaults().withIfNotExists(true));
		out.write(new byte[] { 1, 2, 3 });
		Throwable thrown = catchThrowable(out::close);
		assertThat(thrown).isInstanceOf(IOException.class).hasCauseInstanceOf(StorageException.class);
		assertThat(((StorageException) thrown.getCause()).kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
		assertThat(readText("io/taken")).isEqualTo("x");
	}

	@Test
	@DisplayName("an OutputStream to an invalid path fails on first write instead of blocking")
	default void outputStreamInvalidPath() {
		StorageOutputStream out = storage().openOutputStream("../escape");
		Throwable thrown = catchThrowable(() -> out.write(1));
		assertThat(thrown).isInstanceOf(IOException.class).hasCauseInstanceOf(StorageException.class);
	}

	@Test
	@DisplayName("resource() is a Spring Resource view of the object")
	default void resourceView() throws IOException {
		byte[] data = randomBytes(5000, 7);
		write("io/res/file.txt", data);
		Resource resource = storage().resource("io/res/file.txt");
		assertThat(resource.exists()).isTrue();
		assertThat(resource.contentLength()).isEqualTo(5000);
		assertThat(resource.getFilename()).isEqualTo("file.txt");
		try (InputStream in = resource.getInputStream()) {
			assertThat(in.readAllBytes()).isEqualTo(data);
		}
		assertThat(storage().resource("io/res/missing").exists()).isFalse();
	}


}
