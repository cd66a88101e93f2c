package dev.objectstorage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lists a hierarchical store (a file system, an SFTP server, a WebDAV server) in {@link PathOrder},
 * lazily, from a function that reads one directory. A directory sorts as its name followed by
 * {@code /}, as its contents do, which makes a depth-first walk emit paths in global order. The
 * walk reads one directory at a time, when it reaches it as the subscriber requests, and holds
 * only the sorted children of the directories on its current path: never the whole tree.
 * Subtrees that sort entirely before {@code startAfter} are not read. A directory that is not
 * there when its turn comes (it vanished meanwhile) has no children; in a non-recursive listing a
 * directory is an entry (its path ending in {@code /}) only if the backend says so, by default if it
 * holds an object somewhere below.
 * <p>The backend's function decides what is visible (temporary files of writes in progress and
 * other sidecars of the backend are left out there) and where the reading runs: a blocking read
 * is wrapped in a {@link Mono} (and the listing moved to the backend's scheduler as a whole, or
 * each read on its own), a remote one is a {@code Mono} of the answer.
 *
 * @param <C> the backend's type of child
 */
public final class TreeLister<C extends TreeLister.Child> {

	private final BiFunction<String, String, ? extends Publisher<? extends List<C>>> children;

	private final Function<? super C, ObjectEntry> object;

	private final Function<? super C, ? extends Publisher<Boolean>> shown;

	/**
	 * A lister that shows a directory in a non-recursive listing if it holds an object somewhere
	 * below, as {@link #holdsObjects(String)} finds out.
	 * @param children reads the visible children of a directory; see
	 * {@link #TreeLister(BiFunction, Function, Function)}
	 * @param object the entry of an object child
	 */
	public TreeLister(BiFunction<String, String, ? extends Publisher<? extends List<C>>> children,
			Function<? super C, ObjectEntry> object) {
		this.children = children;
		this.object = object;
		this.shown = (child) -> holdsObjects(child.path() + "/");
	}

	/**
	 * A lister.
	 * @param children reads the visible children of a directory, in any order, given the directory
	 * (a path relative to the root ending in {@code /}, or empty for the root) and a prefix their
	 * names must start with (empty below the listing's first directory): one list, empty if the
	 * directory is not there, or is an object; an error fails the listing. Each child's path is the
	 * directory followed by its name, without a trailing {@code /}. The walk descends into every
	 * directory child: a store with links must leave out a directory child that leads back to the
	 * directory read or one above it (which the directory's path tells), or the walk never ends.
	 * @param object the entry of an object child, made when the walk emits it
	 * @param shown whether a non-recursive listing shows a directory child as an entry
	 */
	public TreeLister(BiFunction<String, String, ? extends Publisher<? extends List<C>>> children,
			Function<? super C, ObjectEntry> object, Function<? super C, ? extends Publisher<Boolean>> shown) {
		this.children = children;
		this.object = object;
		this.shown = shown;
	}

	/**
	 * Lists what starts with a prefix.
	 * @param prefix the prefix: a directory ending in {@code /}, a directory followed by the start
	 * of names, or empty for the whole root
	 * @param options recursion, start and limit
	 * @return the entries, in {@link PathOrder}
	 */
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		int slash = prefix.lastIndexOf('/');
		Flux<ObjectEntry> entries = directory(prefix.substring(0, slash + 1), prefix.substring(slash + 1),
				options.recursive(), options.startAfter());
		return (options.limit() != Long.MAX_VALUE) ? entries.take(options.limit(), true) : entries;
	}

	/**
	 * Whether a directory holds at least one object, at any depth: its children are read, then those
	 * of its directories, one at a time, until an object turns up.
	 * @param directory the directory, ending in {@code /}
	 * @return whether it holds an object
	 */
	public Mono<Boolean> holdsObjects(String directory) {
		return read(directory, "").flatMap((children) -> {
			for (Sorted<C> child : children) {
				if (!child.child.directory()) {
					return Mono.just(true);
				}
			}
			return Flux.fromIterable(children)
				.concatMap((child) -> holdsObjects(child.key))
				.any(Boolean::booleanValue);
		});
	}

	private Flux<ObjectEntry> directory(String directory, String namePrefix, boolean recursive,
			@Nullable String startAfter) {
		return read(directory, namePrefix).flatMapMany(Flux::fromIterable)
			.concatMap((child) -> visit(child, recursive, startAfter));
	}

	private Flux<ObjectEntry> visit(Sorted<C> sorted, boolean recursive, @Nullable String startAfter) {
		C child = sorted.child;
		if (!child.directory()) {
			if (startAfter != null && PathOrder.compare(sorted.key, startAfter) <= 0) {
				return Flux.empty();
			}
			return Flux.just(this.object.apply(child));
		}
		String directory = sorted.key;
		if (startAfter != null && PathOrder.compare(directory, startAfter) < 0 && !startAfter.startsWith(directory)) {
			return Flux.empty(); // everything below sorts before startAfter
		}
		if (recursive) {
			return directory(directory, "", true, startAfter);
		}
		if (startAfter != null && PathOrder.compare(directory, startAfter) <= 0) {
			return Flux.empty();
		}
		return Mono.from(this.shown.apply(child))
			.filter(Boolean::booleanValue)
			.map((yes) -> ObjectEntry.directory(directory))
			.flux();
	}

	/** The children of a directory, sorted by their keys. */
	private Mono<List<Sorted<C>>> read(String directory, String namePrefix) {
		return Mono.from(this.children.apply(directory, namePrefix)).map((children) -> {
			List<Sorted<C>> sorted = new ArrayList<>(children.size());
			for (C child : children) {
				sorted.add(new Sorted<>(child.directory() ? child.path() + "/" : child.path(), child));
			}
			sorted.sort((a, b) -> PathOrder.compare(a.key, b.key));
			return sorted;
		});
	}

	/**
	 * One visible child of a directory: an object or a directory.
	 */
	public interface Child {

		/**
		 * The child's path relative to the root: its directory followed by its name, without a
		 * trailing {@code /}.
		 * @return the path
		 */
		String path();

		/**
		 * Whether the child is a directory.
		 * @return {@code true} for a directory, {@code false} for an object
		 */
		boolean directory();

	}

	/** A child with its sort key: its path, followed by {@code /} for a directory. */
	private record Sorted<C>(String key, C child) {
	}

}
