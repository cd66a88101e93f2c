package dev.objectstorage.webdav;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The WebDAV requests the backend combines, over {@link DavHttp}, and the mapping of storage paths
 * to URLs (every path segment percent-encoded as UTF-8, see {@link DavUrls}). Collections are made
 * and pruned by {@link DavCollections}, write locks taken by {@link DavLocks}. Paths here are
 * "full" paths: relative to the base URL, the root included.
 */
final class DavClient {

	/** Names of temporary resources (writes in progress, write locks); never listed. */
	static final String TEMP_PREFIX = ".os-tmp-";

	/** The temporary files httpd's mod_dav_fs writes a PUT into before it renames them. */
	private static final String HTTPD_TEMP_PREFIX = ".davfs.tmp";

	private static final int PARSE_INLINE_LIMIT = 64 * 1024;

	private final WebDavSettings settings;

	private final DavHttp http;

	private final DavCollections collections;

	private final DavLocks locks;

	private final String baseUrl;

	/** The decoded path of the base URL, to tell hrefs apart. */
	private final String basePath;

	/** The root relative to the base URL: empty, or ending in {@code /}. */
	private final String rootPrefix;

	/**
	 * Whether the server honours RFC 4918 {@code If} headers with entity tags. lighttpd answers 412
	 * to any {@code If: <url> (["etag"])}, even with the current tag; once a server was seen doing
	 * so ({@link #refuseIfHeaders()}), the backend no longer sends them.
	 */
	private final AtomicBoolean ifHeaders = new AtomicBoolean(true);

	DavClient(WebDavSettings settings) {
		this.settings = settings;
		this.baseUrl = settings.baseUrl().toString();
		this.basePath = DavUrls.decode(settings.baseUrl().getRawPath());
		this.rootPrefix = settings.root().isEmpty() ? "" : settings.root() + "/";
		this.http = new DavHttp(settings);
		this.collections = new DavCollections(this);
		this.locks = new DavLocks(this, this.collections, settings.lockTimeout());
	}

	void close() {
		this.http.close();
	}

	// ---------------------------------------------------------------- paths and URLs

	/** The full path (relative to the base URL) of a storage path. */
	String full(String path) {
		return this.rootPrefix + (this.settings.escapeLeadingDots() ? DavUrls.escapeDots(path) : path);
	}

	boolean escapesDots() {
		return this.settings.escapeLeadingDots();
	}

	/**
	 * The storage name of a member's name on the server, or {@code null} if no storage path maps to
	 * it (with escaped dots: a name starting with {@code .}, or with a {@code ~} this library did
	 * not put there).
	 */
	@Nullable String storageName(String serverName) {
		if (!this.settings.escapeLeadingDots()) {
			return serverName;
		}
		if (serverName.startsWith("~.") || serverName.startsWith("~~")) {
			return serverName.substring(1);
		}
		return (serverName.startsWith(".") || serverName.startsWith("~")) ? null : serverName;
	}

	String rootPrefix() {
		return this.rootPrefix;
	}

	/** The URL of a full path; a trailing {@code /} (a collection) is kept. */
	String url(String fullPath) {
		return this.baseUrl + DavUrls.encode(fullPath);
	}

	/** The decoded path of an href, relative to the base URL, without a trailing {@code /}. */
	String hrefPath(String href) {
		String raw = href;
		int scheme = raw.indexOf("://");
		if (scheme > 0 && scheme < 8) {
			int slash = raw.indexOf('/', scheme + 3);
			raw = (slash < 0) ? "/" : raw.substring(slash);
		}
		String path = DavUrls.decode(raw);
		if (path.startsWith(this.basePath)) {
			path = path.substring(this.basePath.length());
		}
		else if (path.startsWith("/")) {
			path = path.substring(1);
		}
		while (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		return path;
	}

	static boolean isHidden(String name) {
		return name.startsWith(TEMP_PREFIX) || name.startsWith(HTTPD_TEMP_PREFIX);
	}

	static String parentOf(String fullPath) {
		String p = fullPath.endsWith("/") ? fullPath.substring(0, fullPath.length() - 1) : fullPath;
		int slash = p.lastIndexOf('/');
		return (slash < 0) ? "" : p.substring(0, slash + 1);
	}

	static String randomTag() {
		return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

	// ---------------------------------------------------------------- requests

	/** See {@link DavHttp#exchange}. */
	Mono<DavHttp.DavResponse> exchange(String method, String url, @Nullable Consumer<HttpHeaders> headers,
			byte @Nullable [] body) {
		return this.http.exchange(method, url, headers, body);
	}

	/** See {@link DavHttp#put}. */
	Mono<DavHttp.DavResponse> put(String url, Publisher<ByteBuf> body) {
		return this.http.put(url, body);
	}

	/** See {@link DavHttp#get}. */
	<T> Mono<T> get(String url, Consumer<HttpHeaders> headers, Function<DavHttp.StreamedResponse, Mono<T>> handler) {
		return this.http.get(url, headers, handler);
	}

	// ---------------------------------------------------------------- WebDAV operations

	/**
	 * {@code PROPFIND} with {@code Depth: 0}: the resource, or empty if there is none (or a path
	 * below a file, which httpd answers with 400).
	 */
	Mono<Optional<DavResource>> stat(String fullPath) {
		return exchange("PROPFIND", url(fullPath), (h) -> h.set("Depth", "0"), DavXml.PROPFIND).flatMap((response) -> {
			if (response.status() == 404 || response.status() == 400 || response.status() == 409) {
				return Mono.just(Optional.<DavResource>empty());
			}
			if (response.status() != 207) {
				return Mono.error(response.error("PROPFIND"));
			}
			List<DavResource> resources = new ArrayList<>(1);
			return Mono.fromCallable(() -> {
				DavXml.parse(response.body(), resources::add);
				return resources.isEmpty() ? Optional.<DavResource>empty() : Optional.of(resources.get(0));
			});
		});
	}

	/** A {@code PROPFIND Depth: 0} answer: the resource, if any, and the server's clock ({@code Date}). */
	record Stat(Optional<DavResource> resource, java.time.@Nullable Instant date) {

		/**
		 * Whether the resource is an object modified within the current second of the server's
		 * clock, or later.
		 */
		boolean modifiedWithinNow() {
			return this.resource.filter(DavResource::isObject)
				.filter((r) -> r.lastModified() != null)
				.map((r) -> this.date == null || !r.lastModified().isBefore(this.date))
				.orElse(false);
		}

	}

	/** {@link #stat(String)} with the server's {@code Date}. */
	Mono<Stat> statAt(String fullPath) {
		return exchange("PROPFIND", url(fullPath), (h) -> h.set("Depth", "0"), DavXml.PROPFIND).flatMap((response) -> {
			java.time.Instant date = DavXml.httpDate(response.headers().get(HttpHeaderNames.DATE));
			if (response.status() == 404 || response.status() == 400 || response.status() == 409) {
				return Mono.just(new Stat(Optional.empty(), date));
			}
			if (response.status() != 207) {
				return Mono.error(response.error("PROPFIND"));
			}
			List<DavResource> resources = new ArrayList<>(1);
			return Mono.fromCallable(() -> {
				DavXml.parse(response.body(), resources::add);
				return new Stat(resources.isEmpty() ? Optional.empty() : Optional.of(resources.get(0)), date);
			});
		});
	}

	/**
	 * {@code PROPFIND} with {@code Depth: 1} of a collection: its members (without itself), or none
	 * if it does not exist. The answer is read whole (one response, never more) and parsed as a
	 * stream; a large one is parsed off the event loop.
	 * @param fullDirectory the collection, ending in {@code /} (or empty for the base)
	 * @param self receives the collection's own entry, if the caller wants it
	 */
	Mono<List<DavResource>> members(String fullDirectory, @Nullable Consumer<DavResource> self) {
		String selfPath = stripSlash(fullDirectory);
		return exchange("PROPFIND", url(fullDirectory), (h) -> h.set("Depth", "1"), DavXml.PROPFIND)
			.flatMap((response) -> {
				if (response.status() == 404 || response.status() == 400 || response.status() == 409) {
					return Mono.just(List.<DavResource>of());
				}
				if (response.status() != 207) {
					return Mono.error(response.error("PROPFIND"));
				}
				Mono<List<DavResource>> parse = Mono.fromCallable(() -> {
					List<DavResource> members = new ArrayList<>();
					DavXml.parse(response.body(), (resource) -> {
						if (hrefPath(resource.href()).equals(selfPath)) {
							if (self != null) {
								self.accept(resource);
							}
						}
						else {
							members.add(resource);
						}
					});
					return members;
				});
				return (response.body().length > PARSE_INLINE_LIMIT) ? parse.subscribeOn(Schedulers.boundedElastic())
						: parse;
			});
	}

	private static String stripSlash(String path) {
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/** The decoded name (last segment) of a member's href. */
	String name(DavResource resource) {
		String path = hrefPath(resource.href());
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/** See {@link DavCollections#ensureCollection}. */
	Mono<Void> ensureCollection(String fullDirectory) {
		return this.collections.ensureCollection(fullDirectory);
	}

	/** See {@link DavCollections#pruneEmptyCollections}. */
	Mono<Void> pruneEmptyCollections(String fullDirectory) {
		return this.collections.pruneEmptyCollections(fullDirectory);
	}

	/** See {@link DavLocks#lock}. */
	Mono<String> lock(String fullPath) {
		return this.locks.lock(fullPath);
	}

	boolean hidesDotNames() {
		return this.collections.hidesDotNames();
	}

	void noteHiddenDotNames() {
		this.collections.noteHiddenDotNames();
	}

	boolean ifHeaders() {
		return this.ifHeaders.get();
	}

	/** Notes that the server refuses {@code If} headers with a current entity tag. */
	void refuseIfHeaders() {
		this.ifHeaders.set(false);
	}

	/**
	 * {@code MOVE} or {@code COPY} of a resource (never a collection, so without a {@code Depth}
	 * header: RFC 4918 allows only {@code infinity} there, and nginx and Go's {@code x/net/webdav}
	 * refuse anything else with 400) onto a target: only if the target does not exist
	 * ({@code Overwrite: F}) when {@code expected} is {@code null}, else replacing it
	 * ({@code Overwrite: T}), with its entity tag in an RFC 4918 {@code If} header when
	 * {@code withIf} is set.
	 * @return the status: 201/204 (done), 412 (the target is not as expected), 423 (locked)
	 */
	Mono<Integer> transfer(String method, String fullSource, String fullTarget, @Nullable DavResource expected,
			boolean withIf) {
		String target = url(fullTarget);
		return exchange(method, url(fullSource), (h) -> {
			h.set("Destination", target);
			if (expected == null) {
				h.set("Overwrite", "F");
			}
			else {
				h.set("Overwrite", "T");
				if (withIf && expected.serverEtag() != null) {
					h.set("If", "<" + target + "> ([" + expected.serverEtag() + "])");
				}
			}
		}, null).flatMap((response) -> switch (response.status()) {
			case 201, 204, 412, 423 -> Mono.just(response.status());
			default -> Mono.error(response.error(method));
		});
	}

	/**
	 * {@code PROPPATCH}: any 2xx is success, and so is a 207 whose statuses are all 2xx (what a
	 * server claims; the caller reads the properties back).
	 * @return nothing if the server claims it stored every property, else what it answered; an
	 * error for 401 and for failures of the network
	 */
	Mono<String> proppatch(String fullPath, byte[] body) {
		return exchange("PROPPATCH", url(fullPath), null, body).flatMap((response) -> {
			int status = response.status();
			if (status == 401) {
				return Mono.error(response.error("PROPPATCH"));
			}
			if (status != 207) {
				return (status >= 200 && status < 300) ? Mono.<String>empty()
						: Mono.just("PROPPATCH answered " + status);
			}
			return Mono.fromCallable(() -> Optional.ofNullable(DavXml.firstFailure(response.body())))
				.onErrorResume(javax.xml.stream.XMLStreamException.class,
						(ex) -> Mono.just(Optional.of("a malformed answer")))
				.flatMap((failure) -> failure.isPresent()
						? Mono.just("PROPPATCH answered 207 with " + failure.get() + " for a property")
						: Mono.<String>empty());
		});
	}

	/**
	 * Finds out whether the server stores dead properties faithfully: sets a property of this
	 * library's namespace on the base URL's collection and reads it back, then the same with two in
	 * one request (one {@code set} each, as writes send them; one with the shape of the user
	 * metadata: lines, {@code =} and characters XML escapes), and removes them again, one request
	 * each (npm webdav-server 2.6 answers a {@code PROPPATCH} of several {@code set}s twice and
	 * throws, which ends an unguarded server process: it never gets one, as it fails the first step).
	 * @return whether every property came back as set
	 */
	Mono<Boolean> storesProperties() {
		String tag = randomTag();
		Map<String, String> one = Map.of("probe-tag", tag);
		Map<String, String> both = new LinkedHashMap<>();
		both.put("probe-tag", randomTag());
		both.put("probe-lines", "k=" + tag + "\nx=<a & b>\n");
		return probe(one).flatMap((stored) -> stored ? probe(both) : Mono.just(false))
			.flatMap((stored) -> reactor.core.publisher.Flux.fromIterable(both.keySet())
				.concatMap((name) -> proppatch("", DavXml.proppatch(Map.of(), List.of(name)))
					.onErrorResume((ex) -> Mono.empty()))
				.then(Mono.just(stored)));
	}

	private Mono<Boolean> probe(Map<String, String> properties) {
		return proppatch("", DavXml.proppatch(properties, List.of()))
			.map((refused) -> false)
			.switchIfEmpty(Mono.defer(() -> exchange("PROPFIND", url(""), (h) -> h.set("Depth", "0"),
					DavXml.propfind(properties.keySet()))
				.flatMap((response) -> (response.status() != 207) ? Mono.just(false)
						: Mono.fromCallable(() -> DavXml.ownProperties(response.body()).equals(properties)))));
	}

	/**
	 * {@code DELETE} of a file. A collection is never deleted: RFC 4918 makes a {@code DELETE} of a
	 * collection delete everything below it, whatever the {@code Depth} (httpd refuses with 400 when
	 * it says 0, SabreDAV, under Nextcloud and ownCloud, deletes recursively), so a {@code PROPFIND}
	 * finds out what the path is first.
	 * @return the status: 204/200 (deleted), 404 (missing), 400 (a collection, or below a file), 423
	 */
	Mono<Integer> deleteFile(String fullPath) {
		return stat(fullPath).flatMap((found) -> {
			if (found.isEmpty()) {
				return Mono.just(404);
			}
			if (!found.get().isObject()) {
				return Mono.just(400);
			}
			return exchange("DELETE", url(fullPath), (h) -> h.set("Depth", "0"), null)
				.flatMap((response) -> switch (response.status()) {
					case 200, 204, 404, 400, 409, 423 -> Mono.just(response.status());
					default -> Mono.error(response.error("DELETE"));
				});
		});
	}

	/** Deletes a temporary resource, best effort: errors are swallowed (it is hidden from listings anyway). */
	Mono<Void> deleteQuietly(String fullPath, boolean collection) {
		return exchange("DELETE", url(fullPath), collection ? null : (h) -> h.set("Depth", "0"), null)
			.then()
			.onErrorResume((ex) -> Mono.empty());
	}

}
