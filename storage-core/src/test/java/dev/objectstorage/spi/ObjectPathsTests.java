package dev.objectstorage.spi;

import dev.objectstorage.StorageException;
import dev.objectstorage.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ObjectPathsTests {

	@Test
	void objectPathDropsLeadingSlashes() {
		assertThat(ObjectPaths.object("/a/b.txt")).isEqualTo("a/b.txt");
		assertThat(ObjectPaths.object("///a")).isEqualTo("a");
		assertThat(ObjectPaths.object("a/b.txt")).isEqualTo("a/b.txt");
	}

	@Test
	void objectPathKeepsSpecialCharacters() {
		String name = "dir/with space+plus%25#hash?q=1&x;ü日本\uD83D\uDE00.txt";
		assertThat(ObjectPaths.object(name)).isEqualTo(name);
		assertThat(ObjectPaths.object("a/...")).isEqualTo("a/...");
		assertThat(ObjectPaths.object(".hidden/..x")).isEqualTo(".hidden/..x");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/", "a//b", ".", "..", "a/./b", "a/../b", "../x", "a/..", "dir/", "a\u0000", "a\u001fb", "a\u202Eb", "a\u0085b",
			"a\u007f", "a\\b", "\uDC00", "a\uD800" })
	void invalidObjectPathsAreRejected(String path) {
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.object(path))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
			.withMessageContaining("path");
	}

	@Test
	void tooLongPathsAreRejected() {
		String segment = "x".repeat(255);
		assertThat(ObjectPaths.object(segment)).isEqualTo(segment);
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.object(segment + "x"))
			.withMessageContaining("255");
		// 2-byte characters count twice
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.object("é".repeat(128)));
		String path = ("d".repeat(100) + "/").repeat(10) + "x".repeat(14);
		assertThat(path).hasSize(1024);
		assertThat(ObjectPaths.object(path)).isEqualTo(path);
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.object(path + "x"))
			.withMessageContaining("1024");
	}

	@Test
	void prefixesMayBeEmptyOrEndInSlash() {
		assertThat(ObjectPaths.prefix("")).isEmpty();
		assertThat(ObjectPaths.prefix("/")).isEmpty();
		assertThat(ObjectPaths.prefix("a/")).isEqualTo("a/");
		assertThat(ObjectPaths.prefix("/a/b")).isEqualTo("a/b");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.prefix("a//"));
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.prefix("../"));
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.prefix("a/../"));
	}

	@Test
	void argumentNameIsInTheMessage() {
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ObjectPaths.object("", "source"))
			.withMessageStartingWith("source");
	}

}
