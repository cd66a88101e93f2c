package dev.objectstorage.webdav;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Collections on a WebDAV server: made with {@code MKCOL} (parents first, tolerating the races of
 * concurrent writers) and removed again when a delete left them empty, without ever deleting a
 * collection that gained a member meanwhile. Paths here are "full" paths, as in {@link DavClient}.
 */
final class DavCollections {

	private final DavClient client;

	/**
	 * Whether the server leaves names starting with {@code .} out of {@code PROPFIND} listings
	 * (nginx's dav-ext), as seen by {@link #pruneByMove(String)} or a write.
	 */
	private final AtomicBoolean hidesDotNames = new AtomicBoolean();

	DavCollections(DavClient client) {
		this.client = client;
	}

	/**
	 * Makes sure a collection exists, creating missing parents first ({@code MKCOL} answers 409
	 * when the parent is missing). The base URL itself is taken to exist.
	 * @param fullDirectory the collection, empty or ending in {@code /}
	 */
	Mono<Void> ensureCollection(String fullDirectory) {
		if (fullDirectory.isEmpty()) {
			return Mono.empty();
		}
		return mkcol(fullDirectory).flatMap((status) -> {
			if (status != 409) {
				return Mono.<Void>empty();
			}
			return ensureCollection(DavClient.parentOf(fullDirectory)).then(mkcol(fullDirectory))
				.flatMap((again) -> (again == 409)
					? Mono.error(new DavStatusException("MKCOL", 409, "the parent collection vanished"))
					: Mono.<Void>empty());
		});
	}

	/**
	 * {@code MKCOL}: 201 (created), 405 (exists) or 409 (parent missing) as status, else an error.
	 * httpd answers 403 to the losers of a race to create the same collection (mkdir fails with
	 * EEXIST after its own existence check): if the collection exists now, that is a 405; if it is
	 * gone again (a lock collection released meanwhile), the {@code MKCOL} is sent again, up to 8
	 * times, before the 403 stands.
	 */
	Mono<Integer> mkcol(String fullDirectory) {
		return mkcol(fullDirectory, 1);
	}

	/**
	 * Go's {@code x/net/webdav} ({@code rclone serve webdav}) locks a resource for the time of each
	 * request and answers 423 to a concurrent {@code MKCOL} of the same collection: tried again.
	 */
	private Mono<Integer> mkcol(String fullDirectory, int attempt) {
		return exchange("MKCOL", url(fullDirectory), null, null).flatMap((response) -> switch (response.status()) {
			case 201, 405, 409 -> Mono.just(response.status());
			case 423 -> (attempt >= 8) ? Mono.error(response.error("MKCOL"))
					: Mono.delay(WebDavWriter.pause(attempt)).then(Mono.defer(() -> mkcol(fullDirectory, attempt + 1)));
			// not there after a 403: it may have been made and removed in between (a conditional write's lock
			// collection, released by the write that held it), so ask again; a real refusal stays a 403
			case 403 -> this.client.stat(fullDirectory)
				.flatMap((found) -> found.filter(DavResource::collection).isPresent()
					? Mono.just(405)
					: (attempt >= 8) ? Mono.error(response.error("MKCOL"))
							: Mono.delay(WebDavWriter.pause(attempt)).then(Mono.defer(() -> mkcol(fullDirectory, attempt + 1))));
			default -> Mono.error(response.error("MKCOL"));
		});
	}

	boolean hidesDotNames() {
		return this.hidesDotNames.get();
	}

	void noteHiddenDotNames() {
		this.hidesDotNames.set(true);
	}

	/**
	 * Deletes the collections a delete left empty, from the given one up to (not including) the
	 * root. WebDAV deletes collections with all their members, so each is deleted only if a
	 * {@code Depth: 1} listing shows no member (temporary resources of writes in progress count)
	 * and, through an {@code If} header, only if its entity tag (its modification time) has not
	 * changed since: a member added meanwhile keeps it. Where collections have no entity tag
	 * (nginx, Go's {@code x/net/webdav}) or the server refuses {@code If} headers (lighttpd), see
	 * {@link #pruneByMove(String)}.
	 */
	Mono<Void> pruneEmptyCollections(String fullDirectory) {
		if (fullDirectory.isEmpty() || !fullDirectory.startsWith(this.client.rootPrefix())
				|| fullDirectory.length() <= this.client.rootPrefix().length()) {
			return Mono.empty();
		}
		DavResource[] self = new DavResource[1];
		return this.client.members(fullDirectory, (r) -> self[0] = r).flatMap((members) -> {
			if (!members.isEmpty() || self[0] == null || !self[0].collection()) {
				return Mono.<Void>empty();
			}
			if (self[0].serverEtag() == null || !this.client.ifHeaders()) {
				return pruneByMove(fullDirectory);
			}
			String url = url(fullDirectory);
			return exchange("DELETE", url, (h) -> h.set("If", "<" + url + "> ([" + self[0].serverEtag() + "])"), null)
				.flatMap((response) -> {
					if (response.status() == 204 || response.status() == 200) {
						return pruneEmptyCollections(DavClient.parentOf(fullDirectory));
					}
					// a member was added, or the server refuses If headers: the check that needs neither
					return (response.status() == 412) ? pruneByMove(fullDirectory) : Mono.<Void>empty();
				});
		}).onErrorResume((ex) -> Mono.empty()); // an empty collection left behind is hidden work, not a failure
	}

	/**
	 * Deletes an empty collection without an {@code If} header: moves it away to a hidden name
	 * ({@code Overwrite: F}), which no writer knows, lists it there and deletes it only if it is
	 * still empty, else moves it (or, if its name was taken again meanwhile, its members) back.
	 */
	private Mono<Void> pruneByMove(String fullDirectory) {
		if (this.hidesDotNames.get() && !this.client.escapesDots()) {
			return Mono.empty();
		}
		String parent = DavClient.parentOf(fullDirectory);
		String name = DavClient.TEMP_PREFIX + DavClient.randomTag();
		String hidden = parent + name + "/";
		return moveCollection(fullDirectory, hidden).flatMap((moved) -> !moved ? Mono.<Void>empty()
				: this.client.members(parent, null).flatMap((siblings) -> {
					if (!this.client.escapesDots()
							&& siblings.stream().noneMatch((sibling) -> name.equals(this.client.name(sibling)))) {
						// the listing leaves out names starting with '.' (nginx's dav-ext): an empty-looking
						// collection may hold such members, so never delete one this way
						this.hidesDotNames.set(true);
						return moveCollection(hidden, fullDirectory).then();
					}
					return pruneMoved(fullDirectory, hidden);
				}));
	}

	private Mono<Void> pruneMoved(String fullDirectory, String hidden) {
		return this.client.members(hidden, null).flatMap((members) -> members.isEmpty()
						? exchange("DELETE", url(hidden), null, null)
							.then(Mono.defer(() -> pruneEmptyCollections(DavClient.parentOf(fullDirectory))))
						: moveCollection(hidden, fullDirectory).flatMap((back) -> back ? Mono.<Void>empty()
								: reinstate(hidden, fullDirectory, members)));
	}

	private Mono<Void> reinstate(String hidden, String fullDirectory, List<DavResource> members) {
		return ensureCollection(fullDirectory)
			.thenMany(reactor.core.publisher.Flux.fromIterable(members))
			.concatMap((member) -> {
				String name = this.client.name(member);
				String target = fullDirectory + name + (member.collection() ? "/" : "");
				String source = hidden + name + (member.collection() ? "/" : "");
				return exchange("MOVE", url(source), (h) -> {
					h.set("Destination", url(target));
					h.set("Overwrite", "F");
					if (member.collection()) {
						h.set("Depth", "infinity");
					}
				}, null);
			})
			.then(Mono.defer(() -> this.client.members(hidden, null)))
			.flatMap((left) -> left.isEmpty() ? exchange("DELETE", url(hidden), null, null).then() : Mono.<Void>empty());
	}

	/** {@code MOVE} of a collection ({@code Depth: infinity}, {@code Overwrite: F}): whether it moved. */
	private Mono<Boolean> moveCollection(String from, String to) {
		return exchange("MOVE", url(from), (h) -> {
			h.set("Destination", url(to));
			h.set("Overwrite", "F");
			h.set("Depth", "infinity");
		}, null).map((response) -> response.status() == 201 || response.status() == 204);
	}

	private Mono<DavHttp.DavResponse> exchange(String method, String url, @Nullable Consumer<HttpHeaders> headers,
			byte @Nullable [] body) {
		return this.client.exchange(method, url, headers, body);
	}

	private String url(String fullPath) {
		return this.client.url(fullPath);
	}

}
