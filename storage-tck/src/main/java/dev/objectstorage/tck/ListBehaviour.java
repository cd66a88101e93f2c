package dev.objectstorage.tck;

import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Listings: flat and recursive, directories, order, startAfter, limit, pagination.
 */
public interface ListBehaviour extends StorageTck {

	private List<String> paths(String prefix, ListOptions options) {
		return storage().list(prefix, options).map(ObjectEntry::path).collectList().block(TIMEOUT);
	}

	private void tree() {
		for (String path : List.of("a.txt", "b.txt", "dir/c.txt", "dir/sub/d.txt", "dir/sub/e.txt", "other/f.txt")) {
			write(path, path);
		}
	}

	@Test
	@DisplayName("a flat listing returns the objects of one level and the directories below as 'dir/'")
	default void flatListing() {
		tree();
		List<ObjectEntry> entries = storage().list("").collectList().block(TIMEOUT);
		assertThat(entries).extracting(ObjectEntry::path).containsExactly("a.txt", "b.txt", "dir/", "other/");
		assertThat(entries).extracting(ObjectEntry::isDirectory).containsExactly(false, false, true, true);
		assertThat(entries.get(2).size()).isEqualTo(-1);
		assertThat(entries.get(0).size()).isEqualTo(5);
	}

	@Test
	@DisplayName("a flat listing of a directory prefix lists inside it")
	default void flatListingOfDirectory() {
		tree();
		assertThat(paths("dir/", ListOptions.defaults())).containsExactly("dir/c.txt", "dir/sub/");
		assertThat(paths("dir/sub/", ListOptions.defaults())).containsExactly("dir/sub/d.txt", "dir/sub/e.txt");
	}

	@Test
	@DisplayName("a recursive listing returns every object under the prefix, in order")
	default void recursiveListing() {
		assumeTrue(storage().capabilities().listWithRecursive());
		tree();
		assertThat(paths("", ListOptions.defaults().withRecursive(true))).containsExactly("a.txt", "b.txt",
				"dir/c.txt", "dir/sub/d.txt", "dir/sub/e.txt", "other/f.txt");
		assertThat(paths("dir/", ListOptions.defaults().withRecursive(true))).containsExactly("dir/c.txt",
				"dir/sub/d.txt", "dir/sub/e.txt");
	}

	@Test
	@DisplayName("a prefix that is not a directory matches names that start with it")
	default void partialNamePrefix() {
		tree();
		write("dirt.txt", "x");
		assertThat(paths("di", ListOptions.defaults())).containsExactly("dir/", "dirt.txt");
		assumeTrue(storage().capabilities().listWithRecursive());
		assertThat(paths("dir/s", ListOptions.defaults().withRecursive(true))).containsExactly("dir/sub/d.txt",
				"dir/sub/e.txt");
	}

	@Test
	@DisplayName("entries come in code point order, with 'a/b' between 'a-b' and 'a0'")
	default void lexicographicOrder() {
		assumeTrue(storage().capabilities().listWithRecursive());
		List<String> names = List.of("a0", "a/b", "a-b", "aa", "A", "a!", "b\u00e9", "bz", "c\uD83D\uDE00", "c\uFFFD");
		for (String name : names) {
			write("order/" + name, "x");
		}
		assertThat(paths("order/", ListOptions.defaults().withRecursive(true))).containsExactly("order/A", "order/a!",
				"order/a-b", "order/a/b", "order/a0", "order/aa", "order/bz", "order/b\u00e9", "order/c\uFFFD",
				"order/c\uD83D\uDE00");
		assertThat(paths("order/", ListOptions.defaults())).containsExactly("order/A", "order/a!", "order/a-b",
				"order/a/", "order/a0", "order/aa", "order/bz", "order/b\u00e9", "order/c\uFFFD", "order/c\uD83D\uDE00");
	}

	@Test
	@DisplayName("startAfter skips entries up to and including the given path")
	default void startAfter() {
		assumeTrue(storage().capabilities().listWithStartAfter());
		tree();
		assertThat(paths("", ListOptions.defaults().withRecursive(true).withStartAfter("b.txt")))
			.containsExactly("dir/c.txt", "dir/sub/d.txt", "dir/sub/e.txt", "other/f.txt");
		assertThat(paths("", ListOptions.defaults().withRecursive(true).withStartAfter("dir/sub/d.txt")))
			.containsExactly("dir/sub/e.txt", "other/f.txt");
		assertThat(paths("", ListOptions.defaults().withStartAfter("dir/")))
			.containsExactly("other/");
		assertThat(paths("", ListOptions.defaults().withStartAfter("a.txt")))
			.containsExactly("b.txt", "dir/", "other/");
	}

	@Test
	@DisplayName("limit caps the number of entries")
	default void limit() {
		tree();
		assertThat(paths("", ListOptions.defaults().withLimit(2))).containsExactly("a.txt", "b.txt");
		assertThat(paths("", ListOptions.defaults().withLimit(0))).isEmpty();
		assumeTrue(storage().capabilities().listWithRecursive());
		assertThat(paths("", ListOptions.defaults().withRecursive(true).withLimit(4))).containsExactly("a.txt",
				"b.txt", "dir/c.txt", "dir/sub/d.txt");
	}

	@Test
	@DisplayName("a prefix with nothing under it gives an empty listing, not an error")
	default void emptyListing() {
		assertThat(paths("", ListOptions.defaults())).isEmpty();
		assertThat(paths("nothing/here/", ListOptions.defaults())).isEmpty();
		write("something", "x");
		assertThat(paths("nothing/", ListOptions.defaults().withRecursive(true))).isEmpty();
	}

	@Test
	@DisplayName("object entries carry size, modification time and the entity tag that stat reports")
	default void entryFields() {
		ObjectMetadata meta = write("fields/one", "12345");
		ObjectEntry entry = storage().list("fields/").blockFirst(TIMEOUT);
		assertThat(entry.path()).isEqualTo("fields/one");
		assertThat(entry.isDirectory()).isFalse();
		assertThat(entry.size()).isEqualTo(5);
		if (entry.etag() != null) {
			assertThat(entry.etag()).isEqualTo(meta.etag());
		}
		if (storage().capabilities().lastModified()) {
			assertThat(entry.lastModified()).isNotNull();
		}
	}

	@Test
	@DisplayName("a deleted object leaves no empty directory behind in listings")
	default void noEmptyDirectoriesAfterDelete() {
		write("gone/deep/er/file", "x");
		write("kept", "y");
		storage().delete("gone/deep/er/file").block(TIMEOUT);
		assertThat(paths("", ListOptions.defaults())).containsExactly("kept");
		assertThat(paths("gone/", ListOptions.defaults())).isEmpty();
	}

	@Test
	@DisplayName("listing pages through more than 1000 entries, lazily and in order; deleteAll removes them")
	default void paginationOverManyEntries() {
		int count = 1105;
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			expected.add(String.format("many/item-%05d", i));
		}
		Flux.fromIterable(expected)
			.flatMap((path) -> storage().write(path, chunks(StorageTck.utf8(path), 64)), 16)
			.blockLast(TIMEOUT.multipliedBy(3));
		assertThat(paths("many/", ListOptions.defaults())).containsExactlyElementsOf(expected);
		assertThat(paths("many/", ListOptions.defaults().withLimit(1001))).containsExactlyElementsOf(
				expected.subList(0, 1001));
		if (storage().capabilities().listWithStartAfter()) {
			assertThat(paths("many/", ListOptions.defaults().withStartAfter("many/item-00998")))
				.containsExactlyElementsOf(expected.subList(999, count));
		}
		// a subscriber that takes three entries and cancels gets exactly those
		assertThat(storage().list("many/").take(3).map(ObjectEntry::path).collectList().block(TIMEOUT))
			.containsExactlyElementsOf(expected.subList(0, 3));
		storage().deleteAll(Flux.fromIterable(expected)).block(TIMEOUT);
		assertThat(paths("many/", ListOptions.defaults())).isEmpty();
	}

}
