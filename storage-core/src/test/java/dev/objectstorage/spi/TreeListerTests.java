package dev.objectstorage.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class TreeListerTests {

	/** Paths of objects; a path ending in '/' is an empty directory. */
	private final Set<String> tree = new TreeSet<>();

	/** Directories whose reads happened, in order. */
	private final List<String> reads = Collections.synchronizedList(new ArrayList<>());

	/** Directories that vanish before the walk reads them. */
	private final Set<String> vanished = new TreeSet<>();

	private final TreeLister<Node> lister = new TreeLister<>(
			(directory, namePrefix) -> Mono.fromCallable(() -> children(directory, namePrefix)), Node::entry);

	@Test
	void recursiveListingIsInPathOrderAcrossDirectories() {
		tree("a-b", "a/x", "a/y/z", "a.c", "a0", "b/c/d", "\uD83D\uDE00", "\uFFFD", "a/\uFFFD/q", "a/\uD83D\uDE00");
		List<String> expected = new ArrayList<>(this.tree);
		expected.sort(PathOrder.COMPARATOR);
		assertThat(paths("", ListOptions.defaults().withRecursive(true))).containsExactlyElementsOf(expected);
	}

	@Test
	void nonRecursiveListingShowsDirectoriesThatHoldAnObject() {
		tree("a/deep/er/x", "b", "c/", "d/e/", "f.txt");
		assertThat(paths("", ListOptions.defaults())).containsExactly("a/", "b", "f.txt");
		assertThat(paths("a/", ListOptions.defaults())).containsExactly("a/deep/");
	}

	@Test
	void aShowFunctionDecidesWhichDirectoriesAreEntries() {
		tree("a/x", "c/", "d/e/");
		TreeLister<Node> all = new TreeLister<>(
				(directory, namePrefix) -> Mono.fromCallable(() -> children(directory, namePrefix)), Node::entry,
				(child) -> Mono.just(true));
		assertThat(all.list("", ListOptions.defaults()).map(ObjectEntry::path).collectList().block())
			.containsExactly("a/", "c/", "d/");
		assertThat(all.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path).collectList().block())
			.containsExactly("a/x");
	}

	@Test
	void directoryEntriesAreMarkedAsDirectories() {
		tree("a/x", "b");
		List<ObjectEntry> entries = this.lister.list("", ListOptions.defaults()).collectList().block();
		assertThat(entries).extracting(ObjectEntry::isDirectory).containsExactly(true, false);
		assertThat(entries.get(1).size()).isEqualTo(1);
	}

	@Test
	void aPrefixWithTheStartOfANameListsOnlyWhatStartsWithIt() {
		tree("a/x1", "a/x/y", "a/xz/w", "a/y", "ax");
		assertThat(paths("a/x", ListOptions.defaults())).containsExactly("a/x/", "a/x1", "a/xz/");
		assertThat(paths("a/x", ListOptions.defaults().withRecursive(true))).containsExactly("a/x/y", "a/x1", "a/xz/w");
		assertThat(paths("nothing/here", ListOptions.defaults())).isEmpty();
	}

	@Test
	void startAfterSkipsWholeSubtreesWithoutReadingThem() {
		tree("a/1", "a/2", "m/1", "m/x/1", "m/x/2", "m/y/1", "z");
		assertThat(paths("", ListOptions.defaults().withRecursive(true).withStartAfter("m/x/1")))
			.containsExactly("m/x/2", "m/y/1", "z");
		assertThat(this.reads).containsExactly("", "m/", "m/x/", "m/y/");
	}

	@Test
	void startAfterADirectoryInANonRecursiveListingStartsAfterIt() {
		tree("a/1", "b/1", "b0", "c/1");
		assertThat(paths("", ListOptions.defaults().withStartAfter("b/"))).containsExactly("b0", "c/");
		assertThat(paths("", ListOptions.defaults().withStartAfter("b/1"))).containsExactly("b0", "c/");
		assertThat(paths("", ListOptions.defaults().withStartAfter("b"))).containsExactly("b/", "b0", "c/");
	}

	@Test
	void theLimitStopsTheWalk() {
		tree("a/1", "a/2", "b/1", "c/1");
		assertThat(paths("", ListOptions.defaults().withRecursive(true).withLimit(2))).containsExactly("a/1", "a/2");
		assertThat(this.reads).doesNotContain("c/");
	}

	@Test
	void directoriesAreReadWhenTheSubscriberAsksForWhatIsInThem() {
		tree("a/1", "a/2", "b/1", "c/1");
		StepVerifier.create(this.lister.list("", ListOptions.defaults().withRecursive(true)), 1)
			.assertNext((entry) -> assertThat(entry.path()).isEqualTo("a/1"))
			.then(() -> assertThat(this.reads).containsExactly("", "a/"))
			.thenRequest(3)
			.expectNextCount(3)
			.verifyComplete();
		assertThat(this.reads).containsExactly("", "a/", "b/", "c/");
	}

	@Test
	void aDirectoryThatVanishedBeforeItsTurnIsEmpty() {
		tree("a/1", "b/1", "b/c/2", "c/1");
		this.vanished.add("b/");
		assertThat(paths("", ListOptions.defaults().withRecursive(true))).containsExactly("a/1", "c/1");
		assertThat(paths("", ListOptions.defaults())).containsExactly("a/", "c/");
	}

	@Test
	void aFailedReadFailsTheListing() {
		tree("a/1", "b/1");
		TreeLister<Node> failing = new TreeLister<>((directory, namePrefix) -> directory.equals("b/")
				? Mono.error(new IOException("unreadable")) : Mono.fromCallable(() -> children(directory, namePrefix)),
				Node::entry);
		StepVerifier.create(failing.list("", ListOptions.defaults().withRecursive(true)))
			.expectNextMatches((entry) -> entry.path().equals("a/1"))
			.verifyErrorMessage("unreadable");
	}

	@Test
	void childrenMayBeReadAsynchronously() {
		tree("a/1", "a/b/2", "c", "d/3");
		TreeLister<Node> remote = new TreeLister<>((directory, namePrefix) -> Mono
			.fromCallable(() -> children(directory, namePrefix))
			.subscribeOn(Schedulers.boundedElastic()), Node::entry);
		assertThat(remote.list("", ListOptions.defaults().withRecursive(true))
			.map(ObjectEntry::path)
			.collectList()
			.block()).containsExactly("a/1", "a/b/2", "c", "d/3");
		assertThat(remote.list("", ListOptions.defaults()).map(ObjectEntry::path).collectList().block())
			.containsExactly("a/", "c", "d/");
	}

	@Test
	void holdsObjectsLooksAtEveryDepth() {
		tree("a/b/c/1", "e/f/");
		assertThat(this.lister.holdsObjects("a/").block()).isTrue();
		assertThat(this.lister.holdsObjects("e/").block()).isFalse();
		assertThat(this.lister.holdsObjects("missing/").block()).isFalse();
	}

	private void tree(String... paths) {
		this.tree.addAll(List.of(paths));
	}

	private List<String> paths(String prefix, ListOptions options) {
		return this.lister.list(prefix, options).map(ObjectEntry::path).collectList().block();
	}

	/** Reads one directory of the tree, in the order of a set that is not path order (reverse). */
	private List<Node> children(String directory, String namePrefix) {
		this.reads.add(directory);
		if (this.vanished.contains(directory)) {
			return List.of();
		}
		Map<String, Node> children = new LinkedHashMap<>();
		for (String path : ((TreeSet<String>) this.tree).descendingSet()) {
			if (!path.startsWith(directory + namePrefix)) {
				continue;
			}
			String rest = path.substring(directory.length());
			int slash = rest.indexOf('/');
			if (slash >= 0) {
				String name = rest.substring(0, slash);
				children.putIfAbsent(name, new Node(directory + name, true));
			}
			else if (!rest.isEmpty()) {
				children.putIfAbsent(rest, new Node(directory + rest, false));
			}
		}
		return new ArrayList<>(children.values());
	}

	private record Node(String path, boolean directory) implements TreeLister.Child {

		ObjectEntry entry() {
			return ObjectEntry.object(this.path, 1, null, null);
		}

	}

}
