package dev.objectstorage.webdav;

import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.spi.PathOrder;
import reactor.core.publisher.Flux;

/**
 * Lists a collection tree lazily, in {@link PathOrder}: one {@code PROPFIND} with {@code Depth: 1}
 * per collection, sent when the walk reaches it (httpd refuses {@code Depth: infinity} by default,
 * and its answer would come unsorted and whole). A collection sorts as its name followed by
 * {@code /}, which makes the depth-first walk emit paths in global order; subtrees that sort
 * entirely before {@code startAfter} are not read. Temporary resources of writes in progress and
 * lock-null resources are hidden.
 */
final class WebDavLister {

	private final DavClient client;

	WebDavLister(DavClient client) {
		this.client = client;
	}

	Flux<ObjectEntry> list(String prefix, ListOptions options) {
		int slash = prefix.lastIndexOf('/');
		Flux<ObjectEntry> entries = directory(prefix.substring(0, slash + 1), prefix.substring(slash + 1), options);
		return (options.limit() != Long.MAX_VALUE) ? entries.take(options.limit(), true) : entries;
	}

	private Flux<ObjectEntry> directory(String directory, String namePrefix, ListOptions options) {
		String startAfter = options.startAfter();
		return this.client.members(this.client.full(directory), null)
			.flatMapIterable((members) -> children(directory, namePrefix, members))
			.concatMap((child) -> {
				if (child.collection) {
					String path = child.sortKey;
					if (startAfter != null && PathOrder.compare(path, startAfter) < 0 && !startAfter.startsWith(path)) {
						return Flux.empty(); // everything below sorts before startAfter
					}
					if (options.recursive()) {
						return directory(path, "", options);
					}
					return (startAfter == null || PathOrder.compare(path, startAfter) > 0)
							? Flux.just(ObjectEntry.directory(path)) : Flux.empty();
				}
				if (startAfter != null && PathOrder.compare(child.path, startAfter) <= 0) {
					return Flux.empty();
				}
				return Flux.just(ObjectEntry.object(child.path, child.resource.size(), child.resource.lastModified(),
						child.resource.etag()));
			}, 1);
	}

	/** The visible members whose names start with the prefix, sorted. */
	private List<Child> children(String directory, String namePrefix, List<DavResource> members) {
		List<Child> children = new ArrayList<>(members.size());
		for (DavResource member : members) {
			String raw = this.client.name(member);
			String name = DavClient.isHidden(raw) ? null : this.client.storageName(raw);
			if (name == null || name.isEmpty() || !name.startsWith(namePrefix)) {
				continue;
			}
			if (member.collection() || member.isObject()) {
				children.add(new Child(directory + name, member));
			}
		}
		children.sort((a, b) -> PathOrder.compare(a.sortKey, b.sortKey));
		return children;
	}

	private static final class Child {

		final String path;

		final String sortKey;

		final boolean collection;

		final DavResource resource;

		Child(String path, DavResource resource) {
			this.path = path;
			this.resource = resource;
			this.collection = resource.collection();
			this.sortKey = this.collection ? path + "/" : path;
		}

	}

}
