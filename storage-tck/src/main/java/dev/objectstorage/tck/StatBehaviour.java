package dev.objectstorage.tck;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stat and exists.
 */
public interface StatBehaviour extends StorageTck {

	@Test
	@DisplayName("stat returns path, size and a quoted entity tag, the same as the write returned")
	default void statFields() {
		ObjectMetadata written = write("stat/file.bin", randomBytes(1234, 1));
		ObjectMetadata meta = storage().stat("stat/file.bin").block(TIMEOUT);
		assertThat(meta.path()).isEqualTo("stat/file.bin");
		assertThat(meta.size()).isEqualTo(1234);
		assertThat(meta.etag()).startsWith("\"").endsWith("\"").hasSizeGreaterThan(2);
		assertThat(meta.etag()).isEqualTo(written.etag());
		assertThat(meta.userMetadata()).isNotNull();
	}

	@Test
	@DisplayName("stat of a missing object fails with NOT_FOUND")
	default void statMissing() {
		StorageException ex = assertKind(ErrorKind.NOT_FOUND, () -> storage().stat("stat/missing").block(TIMEOUT));
		assertThat(ex.operation()).isEqualTo(Operation.STAT);
		assertThat(ex.path()).isEqualTo("stat/missing");
	}

	@Test
	@DisplayName("a directory (a prefix with objects under it) is not an object")
	default void statDirectory() {
		write("stat/dir/child", "x");
		assertKind(ErrorKind.NOT_FOUND, () -> storage().stat("stat/dir").block(TIMEOUT));
		assertThat(exists("stat/dir")).isFalse();
	}

	@Test
	@DisplayName("exists says whether an object exists")
	default void existsTrueAndFalse() {
		assertThat(exists("stat/maybe")).isFalse();
		write("stat/maybe", "x");
		assertThat(exists("stat/maybe")).isTrue();
	}

	@Test
	@DisplayName("the entity tag changes when the content changes")
	default void etagChangesWithContent() {
		String first = write("stat/etag", "one").etag();
		String second = write("stat/etag", "two!").etag();
		assertThat(second).isNotEqualTo(first);
		assertThat(storage().stat("stat/etag").block(TIMEOUT).etag()).isEqualTo(second);
	}

}
