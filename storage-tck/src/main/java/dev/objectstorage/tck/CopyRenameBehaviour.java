package dev.objectstorage.tck;

import java.util.Map;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Copy and rename.
 */
public interface CopyRenameBehaviour extends StorageTck {

	@Test
	@DisplayName("copy duplicates bytes and metadata and keeps the source")
	default void copy() {
		assumeTrue(storage().capabilities().copy());
		byte[] data = randomBytes(100_000, 1);
		WriteOptions options = WriteOptions.defaults();
		if (storage().capabilities().writeWithContentType()) {
			options = options.withContentType("application/x-test");
		}
		if (storage().capabilities().writeWithUserMetadata()) {
			options = options.withUserMetadata(Map.of("k", "v"));
		}
		write("copy/source", data, options);
		storage().copy("copy/source", "copy/nested/new/target").block(TIMEOUT);
		assertThat(read("copy/nested/new/target")).isEqualTo(data);
		assertThat(read("copy/source")).isEqualTo(data);
		ObjectMetadata meta = storage().stat("copy/nested/new/target").block(TIMEOUT);
		assertThat(meta.size()).isEqualTo(data.length);
		if (storage().capabilities().writeWithContentType()) {
			assertThat(meta.contentType()).isEqualTo("application/x-test");
		}
		if (storage().capabilities().writeWithUserMetadata()) {
			assertThat(meta.userMetadata()).isEqualTo(Map.of("k", "v"));
		}
	}

	@Test
	@DisplayName("copy overwrites an existing target")
	default void copyOverwrites() {
		assumeTrue(storage().capabilities().copy());
		write("copy/s", "new");
		write("copy/t", "old target");
		storage().copy("copy/s", "copy/t").block(TIMEOUT);
		assertThat(readText("copy/t")).isEqualTo("new");
	}

	@Test
	@DisplayName("copy of a missing source fails with NOT_FOUND")
	default void copyMissing() {
		assumeTrue(storage().capabilities().copy());
		assertKind(ErrorKind.NOT_FOUND, () -> storage().copy("copy/missing", "copy/x").block(TIMEOUT));
		assertThat(exists("copy/x")).isFalse();
	}

	@Test
	@DisplayName("copy onto itself keeps the object")
	default void copyOntoItself() {
		assumeTrue(storage().capabilities().copy());
		write("copy/self", "me");
		storage().copy("copy/self", "copy/self").block(TIMEOUT);
		assertThat(readText("copy/self")).isEqualTo("me");
	}

	@Test
	@DisplayName("rename moves the object")
	default void rename() {
		assumeTrue(storage().capabilities().rename());
		byte[] data = randomBytes(50_000, 2);
		write("ren/source/deep/file", data);
		storage().rename("ren/source/deep/file", "ren/target").block(TIMEOUT);
		assertThat(read("ren/target")).isEqualTo(data);
		assertThat(exists("ren/source/deep/file")).isFalse();
		assertThat(storage().list("ren/").map(e -> e.path()).collectList().block(TIMEOUT))
			.containsExactly("ren/target");
	}

	@Test
	@DisplayName("rename overwrites an existing target")
	default void renameOverwrites() {
		assumeTrue(storage().capabilities().rename());
		write("ren/s", "new");
		write("ren/t", "old");
		storage().rename("ren/s", "ren/t").block(TIMEOUT);
		assertThat(readText("ren/t")).isEqualTo("new");
		assertThat(exists("ren/s")).isFalse();
	}

	@Test
	@DisplayName("rename of a missing source fails with NOT_FOUND")
	default void renameMissing() {
		assumeTrue(storage().capabilities().rename());
		assertKind(ErrorKind.NOT_FOUND, () -> storage().rename("ren/missing", "ren/x").block(TIMEOUT));
	}

	@Test
	@DisplayName("copy and rename fail with UNSUPPORTED where the backend cannot do them")
	default void copyRenameUnsupported() {
		write("cr/x", "x");
		if (!storage().capabilities().copy()) {
			assertKind(ErrorKind.UNSUPPORTED, () -> storage().copy("cr/x", "cr/y").block(TIMEOUT));
		}
		if (!storage().capabilities().rename()) {
			assertKind(ErrorKind.UNSUPPORTED, () -> storage().rename("cr/x", "cr/y").block(TIMEOUT));
		}
	}

}
