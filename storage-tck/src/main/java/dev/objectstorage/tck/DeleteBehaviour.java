package dev.objectstorage.tck;

import java.util.List;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delete and deleteAll.
 */
public interface DeleteBehaviour extends StorageTck {

	@Test
	@DisplayName("delete removes the object")
	default void deleteExisting() {
		write("del/one", "x");
		storage().delete("del/one").block(TIMEOUT);
		assertThat(exists("del/one")).isFalse();
		assertKind(ErrorKind.NOT_FOUND, () -> read("del/one"));
	}

	@Test
	@DisplayName("deleting a missing object succeeds")
	default void deleteMissing() {
		storage().delete("del/never-was").block(TIMEOUT);
		storage().delete("del/never/was/deep").block(TIMEOUT);
	}

	@Test
	@DisplayName("deleting a directory path deletes no object")
	default void deleteDirectoryPath() {
		write("del/dir/child", "x");
		storage().delete("del/dir").block(TIMEOUT);
		assertThat(readText("del/dir/child")).isEqualTo("x");
	}

	@Test
	@DisplayName("deleteAll removes every given object and ignores missing ones")
	default void deleteAll() {
		write("del/a", "a");
		write("del/b", "b");
		write("del/sub/c", "c");
		write("del/keep", "k");
		storage().deleteAll(Flux.just("del/a", "del/b", "del/sub/c", "del/missing")).block(TIMEOUT);
		assertThat(storage().list("del/", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path)
			.collectList().block(TIMEOUT)).isEqualTo(List.of("del/keep"));
	}

	@Test
	@DisplayName("deleteAll of nothing succeeds")
	default void deleteAllEmpty() {
		storage().deleteAll(Flux.empty()).block(TIMEOUT);
	}

}
