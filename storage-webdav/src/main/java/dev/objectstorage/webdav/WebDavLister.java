package dev.objectstorage.webdav;

import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.spi.TreeLister;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the collections of a {@link TreeLister} walk, which owns the order, {@code startAfter} and
 * the limit: one {@code PROPFIND} with {@code Depth: 1} per collection, sent when the walk reaches
 * it (httpd refuses {@code Depth: infinity} by default, and its answer would come unsorted and
 * whole). Temporary resources of writes in progress and lock-null resources are hidden. Every
 * collection is an entry of a non-recursive listing: deletes prune the collections they empty.
 */
final class WebDavLister {

	private final DavClient client;

	private final TreeLister<Child> lister;

	WebDavLister(DavClient client) {
		this.client = client;
		this.lister = new TreeLister<>(this::children, (child) -> ObjectEntry.object(child.path,
				child.resource.size(), child.resource.lastModified(), child.resource.etag()), (child) -> Mono.just(true));
	}

	Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return this.lister.list(prefix, options);
	}

	/** The visible members of a collection whose names start with the prefix. */
	private Mono<List<Child>> children(String directory, String namePrefix) {
		return this.client.members(this.client.full(directory), null).map((members) -> {
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
			return children;
		});
	}

	/** One visible member of a collection. */
	private record Child(String path, DavResource resource) implements TreeLister.Child {

		@Override
		public boolean directory() {
			return this.resource.collection();
		}

	}

}
