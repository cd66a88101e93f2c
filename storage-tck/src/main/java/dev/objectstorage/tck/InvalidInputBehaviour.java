package dev.objectstorage.tck;

import java.time.Duration;
import java.util.stream.Stream;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.collect;
import static dev.objectstorage.tck.StorageTck.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Invalid paths, {@code null} arguments and invalid options fail with {@code INVALID_INPUT} before
 * any backend is called, and a rejected write still releases its content.
 */
public interface InvalidInputBehaviour extends StorageTck {

	/** Paths that no operation accepts. */
	static Stream<String> invalidPaths() {
		return Stream.of("", "/", "//", "a//b", ".", "..", "./a", "a/./b", "a/../b", "../etc/passwd", "a/..",
				"/../../outside", "a\u0000b", "a\nb", "a\rb", "tab\there", "del\u007f", "c1\u0085", "gpj\u202Eexe.jpg", "rlm\u200Fx", "iso\u2066late", "back\\slash",
				"..\\..\\windows", "dir/", "abcdefghi/".repeat(103) + "x", "a/" + "y".repeat(256) + "/b", "bad\uD800surrogate");
	}

	@ParameterizedTest(name = "invalid path [{index}] is rejected by every operation")
	@MethodSource("invalidPaths")
	default void invalidPathIsRejected(String path) {
		write("valid", "v");
		int before = backendCalls().calls();
		assertKind(ErrorKind.INVALID_INPUT, () -> read(path));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().write(path, chunks(utf8("x"), 1)).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().stat(path).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().exists(path).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().delete(path).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().copy("valid", path).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().copy(path, "valid").block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().rename(path, "valid").block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT,
				() -> storage().presignRead(path, Duration.ofMinutes(1)).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().resource(path));
		assertThat(backendCalls().calls()).as("calls that reached the backend").isEqualTo(before);
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().deleteAll(Flux.just(path)).block(TIMEOUT));
		assertThat(readText("valid")).isEqualTo("v");
	}

	@Test
	@DisplayName("list rejects invalid prefixes but accepts empty ones and a trailing '/'")
	default void invalidPrefixes() {
		for (String prefix : new String[] { "a//b", "../x", "a/../b", "x\u0000", "back\\slash/" }) {
			assertKind(ErrorKind.INVALID_INPUT, () -> storage().list(prefix).collectList().block(TIMEOUT));
		}
		assertThat(storage().list("").collectList().block(TIMEOUT)).isEmpty();
		assertThat(storage().list("/").collectList().block(TIMEOUT)).isEmpty();
		assertThat(storage().list("some/dir/").collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	@DisplayName("null arguments fail at once with INVALID_INPUT naming the argument")
	default void nullArguments() {
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> storage().read(null)).getMessage()).contains("path");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> storage().read("a", null)).getMessage())
			.contains("options");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> storage().write("a", (Flux<org.springframework.core.io.buffer.DataBuffer>) null))
			.getMessage()).contains("content");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> storage().write("a", (byte[]) null)).getMessage())
			.contains("content");
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().stat(null));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().delete(null));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().deleteAll(null));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().list(null));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().list("", null));
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> storage().copy(null, "b")).getMessage())
			.contains("source");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> storage().rename("a", null)).getMessage())
			.contains("target");
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().presignRead("a", null));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().openOutputStream(null));
	}

	@Test
	@DisplayName("invalid options fail with INVALID_INPUT naming the argument")
	default void invalidOptions() {
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> ReadOptions.range(-1, 10)).getMessage())
			.contains("offset");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> ReadOptions.range(0, -2)).getMessage())
			.contains("length");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> ReadOptions.range(Long.MAX_VALUE, 10)).getMessage())
			.contains("Long.MAX_VALUE");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> ReadOptions.defaults().withBufferSize(0)).getMessage())
			.contains("bufferSize");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> ListOptions.defaults().withLimit(-1)).getMessage())
			.contains("limit");
		assertThat(assertKind(ErrorKind.INVALID_INPUT, () -> WriteOptions.defaults().withContentLength(-5))
			.getMessage()).contains("contentLength");
		assertKind(ErrorKind.INVALID_INPUT,
				() -> WriteOptions.defaults().withUserMetadata(java.util.Map.of("bad key", "v")));
		assertKind(ErrorKind.INVALID_INPUT,
				() -> WriteOptions.defaults().withUserMetadata(java.util.Map.of("k", "line\nbreak")));
		assertKind(ErrorKind.INVALID_INPUT, () -> WriteOptions.defaults().withContentType("text/plain\r\nX: y"));
		assertKind(ErrorKind.INVALID_INPUT, () -> WriteOptions.defaults().withIfNotExists(true).withIfMatch("\"e\""));
	}

	@Test
	@DisplayName("errors arrive on subscription, not when the publisher is assembled")
	default void errorsAreLazy() {
		assertThatCode(() -> {
			storage().read("..");
			storage().stat("a//b");
			storage().write("", chunks(utf8("x"), 1));
			storage().list("../");
			storage().copy("", "");
		}).doesNotThrowAnyException();
		assertKind(ErrorKind.INVALID_INPUT, () -> collect(storage().read("..")));
	}

	@Test
	@DisplayName("a write rejected for its path releases the buffers it was given")
	default void rejectedWriteReleasesContent() {
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().write("../x", chunks(utf8("abc"), 1)).block(TIMEOUT));
		org.springframework.core.io.buffer.DataBuffer eager = buffers().allocateBuffer(3);
		eager.write(utf8("abc"));
		assertKind(ErrorKind.INVALID_INPUT, () -> storage().write("a//b", Flux.just(eager)).block(TIMEOUT));
		buffers().assertAllReleased(RELEASE_WAIT);
	}

}
