package dev.objectstorage.tck;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.collect;
import static dev.objectstorage.tck.StorageTck.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conditional writes ({@code ifNotExists}, {@code ifMatch}) and reads ({@code ifMatch},
 * {@code ifNoneMatch}).
 */
public interface ConditionalBehaviour extends StorageTck {

	@Test
	@DisplayName("ifNotExists creates a missing object")
	default void ifNotExistsCreates() {
		assumeTrue(storage().capabilities().writeWithIfNotExists());
		write("cond/new", utf8("created"), WriteOptions.defaults().withIfNotExists(true));
		assertThat(readText("cond/new")).isEqualTo("created");
	}

	@Test
	@DisplayName("ifNotExists on an existing object fails with CONDITION_NOT_MATCH and leaves it untouched")
	default void ifNotExistsOnExisting() {
		assumeTrue(storage().capabilities().writeWithIfNotExists());
		write("cond/existing", "original");
		assertKind(ErrorKind.CONDITION_NOT_MATCH,
				() -> write("cond/existing", utf8("replacement"), WriteOptions.defaults().withIfNotExists(true)));
		assertThat(readText("cond/existing")).isEqualTo("original");
	}

	@Test
	@DisplayName("of eight racing ifNotExists writers exactly one wins")
	default void ifNotExistsRace() throws Exception {
		assumeTrue(storage().capabilities().writeWithIfNotExists());
		int writers = 8;
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		try {
			CyclicBarrier start = new CyclicBarrier(writers);
			List<Future<String>> results = IntStream.range(0, writers).mapToObj((i) -> pool.submit(() -> {
				start.await(10, TimeUnit.SECONDS);
				try {
					write("cond/race", utf8("writer " + i), WriteOptions.defaults().withIfNotExists(true));
					return "writer " + i;
				}
				catch (StorageException ex) {
					assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
					return null;
				}
			})).toList();
			List<String> winners = new java.util.ArrayList<>();
			for (Future<String> result : results) {
				String winner = result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				if (winner != null) {
					winners.add(winner);
				}
			}
			assertThat(winners).hasSize(1);
			assertThat(readText("cond/race")).isEqualTo(winners.get(0));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	@DisplayName("ifMatch with the current entity tag replaces the object")
	default void ifMatchCurrent() {
		assumeTrue(storage().capabilities().writeWithIfMatch());
		ObjectMetadata v1 = write("cond/match", "v1");
		ObjectMetadata v2 = write("cond/match", utf8("v2"), WriteOptions.defaults().withIfMatch(v1.etag()));
		assertThat(readText("cond/match")).isEqualTo("v2");
		assertThat(v2.etag()).isNotEqualTo(v1.etag());
	}

	@Test
	@DisplayName("ifMatch with a stale entity tag fails with CONDITION_NOT_MATCH and leaves the object")
	default void ifMatchStale() {
		assumeTrue(storage().capabilities().writeWithIfMatch());
		ObjectMetadata v1 = write("cond/stale", "v1");
		write("cond/stale", "v2");
		assertKind(ErrorKind.CONDITION_NOT_MATCH,
				() -> write("cond/stale", utf8("v3"), WriteOptions.defaults().withIfMatch(v1.etag())));
		assertThat(readText("cond/stale")).isEqualTo("v2");
	}

	@Test
	@DisplayName("ifMatch on a missing object fails with CONDITION_NOT_MATCH and creates nothing")
	default void ifMatchMissing() {
		assumeTrue(storage().capabilities().writeWithIfMatch());
		ObjectMetadata other = write("cond/other", "x");
		assertKind(ErrorKind.CONDITION_NOT_MATCH,
				() -> write("cond/absent", utf8("v"), WriteOptions.defaults().withIfMatch(other.etag())));
		assertThat(exists("cond/absent")).isFalse();
	}

	@Test
	@DisplayName("a read with ifMatch returns the object only while the entity tag matches")
	default void readIfMatch() {
		assumeTrue(storage().capabilities().readWithIfMatch());
		ObjectMetadata v1 = write("cond/read", "v1");
		assertThat(collect(storage().read("cond/read", ReadOptions.defaults().withIfMatch(v1.etag()))))
			.isEqualTo(utf8("v1"));
		write("cond/read", "v2 is different");
		assertKind(ErrorKind.CONDITION_NOT_MATCH,
				() -> collect(storage().read("cond/read", ReadOptions.defaults().withIfMatch(v1.etag()))));
	}

	@Test
	@DisplayName("a read with ifNoneMatch fails with CONDITION_NOT_MATCH on the current entity tag")
	default void readIfNoneMatch() {
		assumeTrue(storage().capabilities().readWithIfNoneMatch());
		ObjectMetadata v1 = write("cond/none", "v1");
		assertKind(ErrorKind.CONDITION_NOT_MATCH,
				() -> collect(storage().read("cond/none", ReadOptions.defaults().withIfNoneMatch(v1.etag()))));
		write("cond/none", "v2 is different");
		assertThat(collect(storage().read("cond/none", ReadOptions.defaults().withIfNoneMatch(v1.etag()))))
			.isEqualTo(utf8("v2 is different"));
	}

	@Test
	@DisplayName("a range read honours ifMatch too")
	default void rangeReadIfMatch() {
		assumeTrue(storage().capabilities().readWithIfMatch() && storage().capabilities().readWithRange());
		ObjectMetadata v1 = write("cond/range", "0123456789");
		assertThat(collect(storage().read("cond/range", ReadOptions.range(2, 3).withIfMatch(v1.etag()))))
			.isEqualTo(utf8("234"));
		assertKind(ErrorKind.CONDITION_NOT_MATCH, () -> collect(
				storage().read("cond/range", ReadOptions.range(2, 3).withIfMatch("\"not-the-etag\""))));
	}

	@Test
	@DisplayName("ifNotExists holds for a large object too (multipart uploads)")
	default void ifNotExistsOnLargeObject() {
		assumeTrue(storage().capabilities().writeWithIfNotExists());
		byte[] original = StorageTck.randomBytes(12 * 1024 * 1024, 50);
		storage().write("cond/large", lazyChunks(original, 256 * 1024), WriteOptions.defaults().withIfNotExists(true))
			.block(TIMEOUT);
		assertKind(ErrorKind.CONDITION_NOT_MATCH, () -> storage().write("cond/large",
				lazyChunks(StorageTck.randomBytes(12 * 1024 * 1024, 51), 256 * 1024),
				WriteOptions.defaults().withIfNotExists(true)).block(TIMEOUT));
		assertThat(StorageTck.sha256(read("cond/large"))).isEqualTo(StorageTck.sha256(original));
	}

}
