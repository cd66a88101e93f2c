package dev.objectstorage.tck;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.collect;
import static dev.objectstorage.tck.StorageTck.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code open}: content with the metadata of the version it streams, in one call; ranges and
 * conditions; pinning to one version; releasing unread contents; and a write's declared length.
 */
public interface OpenBehaviour extends StorageTck {

	private ObjectContent open(String path, ReadOptions options) {
		return storage().open(path, options).block(TIMEOUT);
	}

	/** Metadata as a caller builds headers from it: everything but the backend's version identifier. */
	private static void assertSameVersion(ObjectMetadata actual, ObjectMetadata expected) {
		assertThat(actual.path()).isEqualTo(expected.path());
		assertThat(actual.size()).isEqualTo(expected.size());
		assertThat(actual.etag()).isEqualTo(expected.etag());
		assertThat(actual.lastModified()).isEqualTo(expected.lastModified());
		assertThat(actual.contentType()).isEqualTo(expected.contentType());
		assertThat(actual.userMetadata()).isEqualTo(expected.userMetadata());
		assertThat(actual.cacheControl()).isEqualTo(expected.cacheControl());
		assertThat(actual.contentDisposition()).isEqualTo(expected.contentDisposition());
	}

	@Test
	@DisplayName("open gives the metadata stat gives for the same version, and the whole body")
	default void openCarriesMetadata() {
		byte[] data = randomBytes(70_000, 40);
		WriteOptions options = WriteOptions.defaults();
		if (storage().capabilities().writeWithContentType()) {
			options = options.withContentType("text/plain; charset=utf-8");
		}
		if (storage().capabilities().writeWithUserMetadata()) {
			options = options.withUserMetadata(Map.of("owner", "ann"));
		}
		if (storage().capabilities().writeWithCacheControl()) {
			options = options.withCacheControl("max-age=60");
		}
		if (storage().capabilities().writeWithContentDisposition()) {
			options = options.withContentDisposition("attachment; filename=\"a.txt\"");
		}
		ObjectMetadata written = write("open/meta.bin", data, options);
		ObjectMetadata stat = storage().stat("open/meta.bin").block(TIMEOUT);
		ObjectContent content = open("open/meta.bin", ReadOptions.defaults());
		assertSameVersion(content.metadata(), stat);
		assertThat(content.metadata().etag()).isEqualTo(written.etag());
		assertThat(content.offset()).isZero();
		assertThat(content.length()).isEqualTo(data.length);
		assertThat(content.isPartial()).isFalse();
		assertThat(collect(content.body())).isEqualTo(data);
	}

	@Test
	@DisplayName("open of a range gives the whole object's metadata, the range's offset and length, and its bytes")
	default void openRange() {
		assumeTrue(storage().capabilities().readWithRange());
		byte[] data = randomBytes(10_000, 41);
		write("open/range.bin", data);
		ObjectContent content = open("open/range.bin", ReadOptions.range(4321, 1000));
		assertThat(content.metadata().size()).isEqualTo(10_000);
		assertThat(content.offset()).isEqualTo(4321);
		assertThat(content.length()).isEqualTo(1000);
		assertThat(content.isPartial()).isTrue();
		assertThat(collect(content.body())).isEqualTo(Arrays.copyOfRange(data, 4321, 5321));

		ObjectContent tail = open("open/range.bin", ReadOptions.range(9900, 500));
		assertThat(tail.offset()).isEqualTo(9900);
		assertThat(tail.length()).as("cut at the end").isEqualTo(100);
		assertThat(collect(tail.body())).isEqualTo(Arrays.copyOfRange(data, 9900, 10_000));

		ObjectContent first = open("open/range.bin", ReadOptions.range(0, 1));
		assertThat(first.length()).isEqualTo(1);
		assertThat(collect(first.body())).as("a one-byte range is one byte").isEqualTo(new byte[] { data[0] });

		assertKind(ErrorKind.RANGE_NOT_SATISFIABLE, () -> open("open/range.bin", ReadOptions.range(10_000, 1)));
	}

	@Test
	@DisplayName("open of an empty object gives its metadata and an empty body, also for a range")
	default void openEmpty() {
		ObjectMetadata written = write("open/empty", new byte[0]);
		ObjectContent content = open("open/empty", ReadOptions.defaults());
		assertThat(content.metadata().size()).isZero();
		assertThat(content.metadata().etag()).isEqualTo(written.etag());
		assertThat(content.length()).isZero();
		assertThat(collect(content.body())).isEmpty();
		if (storage().capabilities().readWithRange()) {
			ObjectContent range = open("open/empty", ReadOptions.range(0, 10));
			assertThat(range.length()).isZero();
			assertThat(collect(range.body())).isEmpty();
		}
	}

	@Test
	@DisplayName("open honours ifMatch and ifNoneMatch against the version it opens")
	default void openConditions() {
		ObjectMetadata old = write("open/cond.bin", "first");
		ObjectMetadata current = write("open/cond.bin", "second, longer");
		if (storage().capabilities().readWithIfMatch()) {
			ObjectContent content = open("open/cond.bin", ReadOptions.defaults().withIfMatch(current.etag()));
			assertThat(content.metadata().etag()).isEqualTo(current.etag());
			assertThat(collect(content.body())).isEqualTo(StorageTck.utf8("second, longer"));
			assertKind(ErrorKind.CONDITION_NOT_MATCH,
					() -> open("open/cond.bin", ReadOptions.defaults().withIfMatch(old.etag())));
		}
		if (storage().capabilities().readWithIfNoneMatch()) {
			assertKind(ErrorKind.CONDITION_NOT_MATCH,
					() -> open("open/cond.bin", ReadOptions.defaults().withIfNoneMatch(current.etag())));
			ObjectContent content = open("open/cond.bin", ReadOptions.defaults().withIfNoneMatch(old.etag()));
			assertThat(content.metadata().etag()).isEqualTo(current.etag());
			content.release();
		}
	}

	@Test
	@DisplayName("a content opened before an overwrite streams the version it opened, or fails; never the new bytes under the old metadata")
	default void openIsPinnedToOneVersion() {
		byte[] first = randomBytes(300_000, 42);
		byte[] second = randomBytes(200_000, 43);
		ObjectMetadata written = write("open/pinned.bin", first);
		ObjectContent content = open("open/pinned.bin", ReadOptions.defaults());
		ObjectMetadata replaced = write("open/pinned.bin", second);
		assertThat(replaced.etag()).isNotEqualTo(written.etag());
		assertThat(content.metadata().etag()).isEqualTo(written.etag());
		assertThat(content.metadata().size()).isEqualTo(first.length);
		try {
			assertThat(collect(content.body())).isEqualTo(first);
		}
		catch (StorageException ex) {
			assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
		}
		assertThat(read("open/pinned.bin")).isEqualTo(second);
	}

	@Test
	@DisplayName("a released content gives back what it holds: many opened and released, then reads still work")
	default void releasedContentsGiveBackWhatTheyHold() {
		byte[] data = randomBytes(200_000, 44);
		write("open/release.bin", data);
		for (int i = 0; i < 40; i++) {
			open("open/release.bin", ReadOptions.defaults()).release();
		}
		ObjectContent content = open("open/release.bin", ReadOptions.defaults());
		content.release();
		content.release(); // idempotent
		assertThatThrownBy(() -> collect(content.body())).isInstanceOf(IllegalStateException.class);
		assertThat(read("open/release.bin")).isEqualTo(data);
	}

	@Test
	@DisplayName("the body of a content can be subscribed to once")
	default void bodyIsConsumedOnce() {
		write("open/once.bin", "once");
		ObjectContent content = open("open/once.bin", ReadOptions.defaults());
		assertThat(collect(content.body())).isEqualTo(StorageTck.utf8("once"));
		assertThatThrownBy(() -> collect(content.body())).isInstanceOf(IllegalStateException.class);
		content.release(); // nothing left to release: no error
	}

	@Test
	@DisplayName("open does nothing until subscribed, and a missing object fails with NOT_FOUND")
	default void openIsLazy() {
		Mono<ObjectContent> later = storage().open("open/lazy.bin");
		write("open/lazy.bin", "now it exists");
		assertThat(collect(later.block(TIMEOUT).body())).isEqualTo(StorageTck.utf8("now it exists"));
		assertKind(ErrorKind.NOT_FOUND, () -> open("open/nothing.bin", ReadOptions.defaults()));
	}

	@Test
	@DisplayName("where the content is a local file, transferTo sends the opened version's bytes")
	default void transferSendsTheFile() {
		byte[] data = randomBytes(100_000, 45);
		write("open/file.bin", data);
		ObjectContent content = open("open/file.bin", ReadOptions.range(1000, 50_000));
		if (!content.isFile()) {
			assertKind(ErrorKind.UNSUPPORTED, () -> content.transferTo((f, p, c, s) -> Mono.empty()).block(TIMEOUT));
			content.release();
			return;
		}
		write("open/file.bin", randomBytes(10, 46)); // an overwrite does not change what is sent
		ByteArrayOutputStream sent = new ByteArrayOutputStream();
		content.transferTo((file, position, count, report) -> Mono.fromCallable(() -> {
			ByteBuffer buffer = ByteBuffer.allocate((int) count);
			while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) >= 0) {
				// read on
			}
			sent.write(buffer.array(), 0, buffer.position());
			report.accept(buffer.position());
			return buffer.position();
		}).then()).block(TIMEOUT);
		assertThat(sent.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 1000, 51_000));
		assertThatThrownBy(() -> collect(content.body())).isInstanceOf(IllegalStateException.class);
	}

	@Test
	@DisplayName("a write whose content ends before its declared length publishes nothing and keeps the old object")
	default void writeShorterThanDeclaredPublishesNothing() {
		write("open/declared.bin", "old");
		byte[] data = randomBytes(10_000, 47);
		StorageException ex = assertKind(ErrorKind.INVALID_INPUT, () -> storage()
			.write("open/declared.bin", chunks(data, 1000), WriteOptions.defaults().withContentLength(10_001))
			.block(TIMEOUT));
		assertThat(ex.getMessage()).contains("10000").contains("10001");
		assertThat(readText("open/declared.bin")).isEqualTo("old");
		assertKind(ErrorKind.INVALID_INPUT, () -> storage()
			.write("open/new.bin", chunks(data, 1000), WriteOptions.defaults().withContentLength(20_000))
			.block(TIMEOUT));
		assertThat(exists("open/new.bin")).isFalse();
	}

	@Test
	@DisplayName("a write whose content runs past its declared length publishes nothing; an exact one is stored")
	default void writeLongerThanDeclaredPublishesNothing() {
		byte[] data = randomBytes(10_000, 48);
		assertKind(ErrorKind.INVALID_INPUT, () -> storage()
			.write("open/long.bin", chunks(data, 1000), WriteOptions.defaults().withContentLength(9_999))
			.block(TIMEOUT));
		assertThat(exists("open/long.bin")).isFalse();
		storage().write("open/long.bin", chunks(data, 1000), WriteOptions.defaults().withContentLength(10_000))
			.block(TIMEOUT);
		assertThat(read("open/long.bin")).isEqualTo(data);
	}

}
