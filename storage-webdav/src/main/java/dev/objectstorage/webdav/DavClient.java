package dev.objectstorage.webdav;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP side of the backend: one Reactor Netty {@link HttpClient} over a bounded connection
 * pool, URL building (every path segment percent-encoded as UTF-8), Basic authentication, and the
 * WebDAV requests the backend combines. Paths here are "full" paths: relative to the base URL,
 * the root included.
 */
final class DavClient {

	/** Names of temporary resources (writes in progress, write locks); never listed. */
	static final String TEMP_PREFIX = ".os-tmp-";

	/** The temporary files httpd's mod_dav_fs writes a PUT into before it renames them. */
	private static final String HTTPD_TEMP_PREFIX = ".davfs.tmp";

	/**
	 * Idle connections are closed after this, below httpd's default {@code KeepAliveTimeout} of 5
	 * seconds, so that a request rarely goes out on a connection the server is closing.
	 */
	private static final Duration MAX_IDLE = Duration.ofSeconds(4);

	private static final byte[] EMPTY = new byte[0];

	private static final int PARSE_INLINE_LIMIT = 64 * 1024;

	private final WebDavSettings settings;

	private final ConnectionProvider provider;

	private final HttpClient http;

	private final String baseUrl;

	/** The decoded path of the base URL, to tell hrefs apart. */
	private final String basePath;

	/** The root relative to the base URL: empty, or ending in {@code /}. */
	private final String rootPrefix;

	DavClient(WebDavSettings settings) {
		this.settings = settings;
		this.baseUrl = settings.baseUrl().toString();
		this.basePath = decode(settings.baseUrl().getRawPath());
		this.rootPrefix = settings.root().isEmpty() ? "" : settings.root() + "/";
		this.provider = ConnectionProvider.builder("webdav")
			.maxConnections(settings.maxConnections())
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(settings.responseTimeout())
			.maxIdleTime(MAX_IDLE)
			.build();
		HttpClient client = HttpClient.create(this.provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
					settings.connectTimeout().toMillis()))
			.responseTimeout(settings.responseTimeout())
			.keepAlive(true);
		if (settings.username() != null) {
			String credentials = Base64.getEncoder()
				.encodeToString((settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
			client = client.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, "Basic " + credentials));
		}
		this.http = client;
	}

	void close() {
		this.provider.dispose();
	}

	// ---------------------------------------------------------------- paths and URLs

	/** The full path (relative to the base URL) of a storage path. */
	String full(String path) {
		return this.rootPrefix + (this.settings.escapeLeadingDots() ? escapeDots(path) : path);
	}

	boolean escapesDots() {
		return this.settings.escapeLeadingDots();
	}

	/** Puts a {@code ~} in front of every segment that starts with {@code .} or {@code ~}. */
	static String escapeDots(String path) {
		if (!path.startsWith(".") && !path.startsWith("~") && !path.contains("/.") && !path.contains("/~")) {
			return path;
		}
		StringBuilder out = new StringBuilder(path.length() + 4);
		int start = 0;
		while (start <= path.length()) {
			int slash = path.indexOf('/', start);
			int end = (slash < 0) ? path.length() : slash;
			if (end > start && (path.charAt(start) == '.' || path.charAt(start) == '~')) {
				out.append('~');
			}
			out.append(path, start, end);
			if (slash < 0) {
				break;
			}
			out.append('/');
			start = slash + 1;
		}
		return out.toString();
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
		return this.baseUrl + encode(fullPath);
	}

	/** Percent-encodes every byte of each segment but the RFC 3986 unreserved characters. */
	static String encode(String path) {
		byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
		StringBuilder out = new StringBuilder(bytes.length + 16);
		for (byte b : bytes) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~' || c == '/') {
				out.append((char) c);
			}
			else {
				out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return out.toString();
	}

	/** Decodes percent-escapes as UTF-8 (a {@code +} stays a {@code +}). */
	static String decode(String text) {
		if (text.indexOf('%') < 0) {
			return text;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
					&& Character.digit(text.charAt(i + 2), 16) >= 0) {
				out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
				i += 2;
			}
			else {
				byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				out.write(bytes, 0, bytes.length);
			}
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	/** The decoded path of an href, relative to the base URL, without a trailing {@code /}. */
	String hrefPath(String href) {
		String raw = href;
		int scheme = raw.indexOf("://");
		if (scheme > 0 && scheme < 8) {
			int slash = raw.indexOf('/', scheme + 3);
			raw = (slash < 0) ? "/" : raw.substring(slash);
		}
		String path = decode(raw);
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

	/** A response with its (small) body read whole. */
	record DavResponse(int status, HttpHeaders headers, byte[] body) {

		String text() {
			String text = new String(this.body, StandardCharsets.UTF_8);
			return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
		}

		DavStatusException error(String method) {
			String detail = stripTags(text());
			return new DavStatusException(method, this.status, detail);
		}

		private static String stripTags(String html) {
			return html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
		}

	}

	/**
	 * Sends a request with an optional small body and reads the whole response.
	 */
	Mono<DavResponse> exchange(String method, String url, @Nullable Consumer<HttpHeaders> headers,
			byte @Nullable [] body) {
		HttpClient client = this.http.headers((h) -> {
			if (body != null) {
				h.set(HttpHeaderNames.CONTENT_TYPE, "application/xml; charset=utf-8");
				h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
			}
			if (headers != null) {
				headers.accept(h);
			}
		});
		HttpClient.RequestSender sender = client.request(HttpMethod.valueOf(method)).uri(url);
		HttpClient.ResponseReceiver<?> receiver = (body != null)
				? sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body))) : sender;
		return receiver.responseSingle((response, bytes) -> bytes.asByteArray()
			.defaultIfEmpty(EMPTY)
			.map((b) -> new DavResponse(response.status().code(), response.responseHeaders(), b)));
	}

	/** A {@code PUT} that streams the given buffers (chunked); Reactor Netty releases each buffer it takes. */
	Mono<DavResponse> put(String url, Publisher<ByteBuf> body) {
		return this.http.headers((h) -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream"))
			.put()
			.uri(url)
			.send(body)
			.responseSingle((response, bytes) -> bytes.asByteArray()
				.defaultIfEmpty(EMPTY)
				.map((b) -> new DavResponse(response.status().code(), response.responseHeaders(), b)));
	}

	/**
	 * A {@code GET} whose response the handler turns into a value that may own the response's
	 * body, to be streamed after the value was emitted. Reactor Netty's {@code response(...)} discards
	 * the body when the handler's publisher ends, so this uses {@code responseConnection(...)} and
	 * gives the body back itself: if the handler's {@code Mono} fails, completes empty or is cancelled
	 * before it emits, the response is {@linkplain StreamedResponse#discard() discarded} here; once
	 * it emitted, the value owns the response and must read its body or discard it (a value dropped on
	 * cancellation reaches the caller's discard hook).
	 * @param url the URL
	 * @param headers sets the request headers
	 * @param handler makes the value from the response
	 * @return the value
	 */
	<T> Mono<T> get(String url, Consumer<HttpHeaders> headers, Function<StreamedResponse, Mono<T>> handler) {
		return this.http.headers(headers).get().uri(url).responseConnection((response, connection) -> {
			StreamedResponse streamed = new StreamedResponse(response, connection);
			Mono<T> value;
			try {
				value = handler.apply(streamed);
			}
			catch (RuntimeException ex) {
				streamed.discard();
				return Mono.error(ex);
			}
			AtomicBoolean emitted = new AtomicBoolean();
			return value.doOnNext((v) -> emitted.set(true)).doFinally((signal) -> {
				if (!emitted.get()) {
					streamed.discard();
				}
			});
		}).next();
	}

	/**
	 * A response whose body has not been read yet: its receiver reads the body once, or discards it.
	 */
	static final class StreamedResponse {

		private final HttpClientResponse response;

		private final Connection connection;

		StreamedResponse(HttpClientResponse response, Connection connection) {
			this.response = response;
			this.connection = connection;
		}

		int status() {
			return this.response.status().code();
		}

		HttpHeaders headers() {
			return this.response.responseHeaders();
		}

		/**
		 * The body, as Reactor Netty receives it: each buffer is released after it was emitted, so a
		 * subscriber that keeps one retains it. Cancelling closes the connection unless the whole
		 * response was received; completing gives the connection back to the pool.
		 * @return the body; can be subscribed to once
		 */
		ByteBufFlux body() {
			return this.connection.inbound().receive();
		}

		/** Reads the whole (small) body, for an error. */
		Mono<DavResponse> whole() {
			return body().aggregate()
				.asByteArray()
				.defaultIfEmpty(EMPTY)
				.map((bytes) -> new DavResponse(status(), headers(), bytes));
		}

		/**
		 * Gives the response back without reading (the rest of) its body: what was received is
		 * released, and the connection is closed if the response was not received whole (its bytes
		 * would otherwise stay in the way of the next request). Safe to call more than once, and after
		 * the body was read: a connection that was given back to the pool is left alone. Runs on the
		 * connection's event loop, whatever the calling thread.
		 */
		void discard() {
			if (this.connection instanceof ChannelOperations<?, ?> operations) {
				operations.discard();
			}
			else {
				this.connection.dispose();
			}
		}

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

	/**
	 * Whether a path is an object modified within the current second of the server's clock (its
	 * {@code getlastmodified} not before the {@code Date} of the answer), or later.
	 */
	Mono<Boolean> modifiedWithinNow(String fullPath) {
		return exchange("PROPFIND", url(fullPath), (h) -> h.set("Depth", "0"), DavXml.PROPFIND).flatMap((response) -> {
			if (response.status() != 207) {
				return Mono.just(false);
			}
			List<DavResource> resources = new ArrayList<>(1);
			return Mono.fromCallable(() -> {
				DavXml.parse(response.body(), resources::add);
				java.time.Instant now = DavXml.httpDate(response.headers().get(HttpHeaderNames.DATE));
				if (resources.isEmpty() || !resources.get(0).isObject() || resources.get(0).lastModified() == null) {
					return false;
				}
				return now == null || !resources.get(0).lastModified().isBefore(now);
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
			return ensureCollection(parentOf(fullDirectory)).then(mkcol(fullDirectory)).flatMap((again) -> (again == 409)
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
			case 403 -> stat(fullDirectory).flatMap((found) -> found.filter(DavResource::collection).isPresent()
					? Mono.just(405)
					: (attempt >= 8) ? Mono.error(response.error("MKCOL"))
							: Mono.delay(WebDavWriter.pause(attempt)).then(Mono.defer(() -> mkcol(fullDirectory, attempt + 1))));
			default -> Mono.error(response.error("MKCOL"));
		});
	}

	/**
	 * Whether the server honours RFC 4918 {@code If} headers with entity tags. lighttpd answers 412
	 * to any {@code If: <url> (["etag"])}, even with the current tag; once a server was seen doing
	 * so ({@link #refuseIfHeaders()}), the backend no longer sends them.
	 */
	private final AtomicBoolean ifHeaders = new AtomicBoolean(true);

	/**
	 * Whether the server leaves names starting with {@code .} out of {@code PROPFIND} listings
	 * (nginx's dav-ext), as seen by {@link #pruneByMove(String)} or a write.
	 */
	private final AtomicBoolean hidesDotNames = new AtomicBoolean();

	boolean hidesDotNames() {
		return this.hidesDotNames.get();
	}

	void noteHiddenDotNames() {
		this.hidesDotNames.set(true);
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
		if (fullDirectory.isEmpty() || !fullDirectory.startsWith(this.rootPrefix)
				|| fullDirectory.length() <= this.rootPrefix.length()) {
			return Mono.empty();
		}
		DavResource[] self = new DavResource[1];
		return members(fullDirectory, (r) -> self[0] = r).flatMap((members) -> {
			if (!members.isEmpty() || self[0] == null || !self[0].collection()) {
				return Mono.<Void>empty();
			}
			if (self[0].serverEtag() == null || !ifHeaders()) {
				return pruneByMove(fullDirectory);
			}
			String url = url(fullDirectory);
			return exchange("DELETE", url, (h) -> h.set("If", "<" + url + "> ([" + self[0].serverEtag() + "])"), null)
				.flatMap((response) -> {
					if (response.status() == 204 || response.status() == 200) {
						return pruneEmptyCollections(parentOf(fullDirectory));
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
		if (this.hidesDotNames.get() && !escapesDots()) {
			return Mono.empty();
		}
		String parent = parentOf(fullDirectory);
		String name = TEMP_PREFIX + randomTag();
		String hidden = parent + name + "/";
		return moveCollection(fullDirectory, hidden).flatMap((moved) -> !moved ? Mono.<Void>empty()
				: members(parent, null).flatMap((siblings) -> {
					if (!escapesDots() && siblings.stream().noneMatch((sibling) -> name.equals(name(sibling)))) {
						// the listing leaves out names starting with '.' (nginx's dav-ext): an empty-looking
						// collection may hold such members, so never delete one this way
						this.hidesDotNames.set(true);
						return moveCollection(hidden, fullDirectory).then();
					}
					return pruneMoved(fullDirectory, hidden);
				}));
	}

	private Mono<Void> pruneMoved(String fullDirectory, String hidden) {
		return members(hidden, null).flatMap((members) -> members.isEmpty()
						? exchange("DELETE", url(hidden), null, null)
							.then(Mono.defer(() -> pruneEmptyCollections(parentOf(fullDirectory))))
						: moveCollection(hidden, fullDirectory).flatMap((back) -> back ? Mono.<Void>empty()
								: reinstate(hidden, fullDirectory, members)));
	}

	private Mono<Void> reinstate(String hidden, String fullDirectory, List<DavResource> members) {
		return ensureCollection(fullDirectory)
			.thenMany(reactor.core.publisher.Flux.fromIterable(members))
			.concatMap((member) -> {
				String name = name(member);
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
			.then(Mono.defer(() -> members(hidden, null)))
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

	// ---------------------------------------------------------------- write locks

	/**
	 * Takes the write lock of an object for a conditional write: a collection named after the
	 * object, next to it, made with {@code MKCOL}, which succeeds for exactly one of several racing
	 * clients (httpd creates it with mkdir). WebDAV's own {@code LOCK}, {@code Overwrite: F} and
	 * {@code If-None-Match: *} are checked and then acted upon without mutual exclusion in httpd,
	 * so two racing writers can both pass them. A lock older than the lock timeout (its holder
	 * crashed) is broken.
	 * @return the full path of the lock collection, to release
	 */
	Mono<String> lock(String fullPath) {
		String parent = parentOf(fullPath);
		String name = fullPath.substring(parent.length());
		String lock = parent + TEMP_PREFIX + "lock-" + sha256(name) + "/";
		long wait = this.settings.lockTimeout().toNanos() * 2;
		return Mono.defer(() -> tryLock(lock, System.nanoTime() + wait, 0)).thenReturn(lock);
	}

	private Mono<Void> tryLock(String lock, long deadline, int attempt) {
		return mkcol(lock).flatMap((status) -> {
			if (status == 201) {
				return Mono.<Void>empty();
			}
			if (status == 409) {
				return ensureCollection(parentOf(lock)).then(Mono.defer(() -> tryLock(lock, deadline, attempt + 1)));
			}
			if (System.nanoTime() - deadline > 0) {
				return Mono.error(new StorageException(ErrorKind.UNEXPECTED,
						"Another conditional write of the same object holds its lock for too long", null, null, null,
						true, null));
			}
			Mono<Void> breakStale = (attempt % 10 == 9) ? breakIfStale(lock) : Mono.empty();
			long backoff = Math.min(200, 5L << Math.min(attempt, 5));
			Duration pause = Duration.ofMillis(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
			return breakStale.then(Mono.delay(pause)).then(Mono.defer(() -> tryLock(lock, deadline, attempt + 1)));
		});
	}

	/** Deletes a lock collection older than the lock timeout, by the server's clock, if it is still that one. */
	private Mono<Void> breakIfStale(String lock) {
		return exchange("PROPFIND", url(lock), (h) -> h.set("Depth", "0"), DavXml.PROPFIND).flatMap((response) -> {
			if (response.status() != 207) {
				return Mono.<Void>empty();
			}
			List<DavResource> resources = new ArrayList<>(1);
			try {
				DavXml.parse(response.body(), resources::add);
			}
			catch (javax.xml.stream.XMLStreamException ex) {
				return Mono.<Void>empty();
			}
			java.time.Instant now = DavXml.httpDate(response.headers().get(HttpHeaderNames.DATE));
			if (resources.isEmpty() || now == null || resources.get(0).lastModified() == null
					|| resources.get(0).serverEtag() == null) {
				return Mono.<Void>empty();
			}
			DavResource held = resources.get(0);
			if (held.lastModified().plus(this.settings.lockTimeout()).isAfter(now)) {
				return Mono.<Void>empty();
			}
			String url = url(lock);
			return exchange("DELETE", url, (h) -> h.set("If", "<" + url + "> ([" + held.serverEtag() + "])"), null)
				.then();
		}).onErrorResume((ex) -> Mono.empty());
	}

	private static String sha256(String text) {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
				.digest(text.getBytes(StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
