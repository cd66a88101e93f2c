package dev.objectstorage.webdav;

import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.Ranges;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.StorageBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.util.retry.Retry;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * A backend for WebDAV servers (RFC 4918; tested against Apache httpd with mod_dav_fs, lighttpd's
 * mod_webdav, nginx's dav with dav-ext, {@code rclone serve webdav} and npm's webdav-server) on
 * Reactor Netty's non-blocking HTTP client, with one bounded connection pool per backend.
 * <ul>
 * <li>Opening an object is a {@code PROPFIND} (the metadata are dead properties, which only it
 * reads) and a {@code GET}, with a {@code Range} header for ranges; a server that ignores it answers
 * 200 and the bytes are cut here. Conditions are evaluated on the entity tag from the
 * {@code PROPFIND} (see below why not {@code If-Match}), and every {@code GET} is checked to serve
 * that same version (its {@code ETag} and the sizes it declares), the range asked for
 * ({@code Content-Range}) and no fewer or more bytes than it declares.</li>
 * <li>Writes are atomic (see {@link WebDavWriter}); missing parent collections are created with
 * {@code MKCOL}. Collections are not objects: a non-recursive listing shows them as {@code dir/},
 * and a delete removes the collections it leaves empty.</li>
 * <li>Listings walk the tree with {@code PROPFIND Depth: 1}, lazily (see {@link WebDavLister}).</li>
 * <li>Copy is a server-side {@code COPY}, rename a {@code MOVE}; both keep the metadata.</li>
 * <li>Content type, cache control, content disposition and user metadata are WebDAV dead
 * properties (see {@link DavXml}), where the server stores them faithfully: see
 * {@link WebDavSettings.Metadata}. Whether it does is known when the backend is built (probed then
 * with {@code AUTO}, the default), because {@link #capabilities()} is read once, when a storage is
 * built on the backend; without them the metadata capabilities are off and writes work without
 * dead properties. Every write reads its properties back and fails with
 * {@link ErrorKind#UNSUPPORTED} rather than publish an object whose metadata the server lost.</li>
 * <li>Entity tags are the server's {@code getetag} (without httpd's weak prefix) plus a random tag
 * per write, so that two versions never share one (see {@link DavResource#etag()}); without dead
 * properties the server's alone (see {@link WebDavWriter} for servers whose tags are made of
 * seconds and size). Because the exposed tag is not the server's, conditions are evaluated here,
 * not with {@code If-Match}.</li>
 * <li>Servers that leave names starting with {@code .} out of listings (nginx's dav-ext) need
 * {@link WebDavSettings#escapeLeadingDots()}; without it such names are refused there.</li>
 * <li>Temporary resources that writers which died mid-write left behind are deleted by a sweep
 * that runs once, in the background, when the backend starts (see
 * {@link WebDavSettings#tempMaxAge()} and {@link WebDavSweeper}).</li>
 * </ul>
 * No presigned URLs: WebDAV has none.
 */
public class WebDavBackend implements StorageBackend {

	private static final Capabilities WITH_METADATA = Capabilities.full().build();

	private static final Capabilities WITHOUT_METADATA = Capabilities.full()
		.writeWithContentType(false)
		.writeWithUserMetadata(false)
		.writeWithCacheControl(false)
		.writeWithContentDisposition(false)
		.build();

	private static final int MAX_DELETE_ATTEMPTS = 8;

	private final WebDavSettings settings;

	private final DataBufferFactory bufferFactory;

	private final DavClient client;

	private final WebDavWriter writer;

	private final WebDavLister lister;

	private final WebDavSweeper sweeper;

	/** Whether objects carry metadata (the server stores dead properties). */
	private final boolean properties;

	/** The sweep of left-behind temporary resources started with the backend; disposed by {@link #close()}. */
	private final Disposable sweep;

	/**
	 * A backend whose reads emit Netty buffers (no copy of the received bytes).
	 * @param settings the settings
	 */
	public WebDavBackend(WebDavSettings settings) {
		this(settings, new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT));
	}

	/**
	 * A backend that emits read bytes in buffers of the given factory: wrapped without a copy if it
	 * is a {@link NettyDataBufferFactory}, copied otherwise.
	 * @param settings the settings
	 * @param bufferFactory the factory
	 */
	public WebDavBackend(WebDavSettings settings, DataBufferFactory bufferFactory) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
		this.client = new DavClient(settings);
		try {
			this.properties = storesProperties(settings, this.client);
		}
		catch (RuntimeException ex) {
			this.client.close();
			throw ex;
		}
		this.writer = new WebDavWriter(this.client, this.properties);
		this.lister = new WebDavLister(this.client);
		this.sweeper = new WebDavSweeper(this.client, settings.lockTimeout());
		Duration maxAge = settings.tempMaxAge();
		this.sweep = maxAge.isZero() ? Disposables.disposed()
				: this.sweeper.sweep(maxAge).subscribe((count) -> {
				}, (ex) -> {
					// best effort: the next start sweeps again
				});
	}

	/**
	 * Whether the server stores dead properties: as set, or found out with one blocking exchange
	 * (bounded by the timeouts) for {@link WebDavSettings.Metadata#AUTO}. Capabilities are read once,
	 * when the storage is built on the backend, so they must be known here.
	 */
	private static boolean storesProperties(WebDavSettings settings, DavClient client) {
		switch (settings.metadata()) {
			case ENABLED:
				return true;
			case DISABLED:
				return false;
			default:
				break;
		}
		if (Schedulers.isInNonBlockingThread()) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "A WebDAV backend with metadata AUTO asks the server"
					+ " whether it stores dead properties when it is built, which blocks: build it off the event loop, or"
					+ " set storage.webdav.metadata (WebDavSettings.metadata) to ENABLED or DISABLED");
		}
		Duration bound = settings.connectTimeout().plus(settings.responseTimeout().multipliedBy(3));
		try {
			return Boolean.TRUE.equals(client.storesProperties().block(bound));
		}
		catch (RuntimeException ex) {
			// unreachable, too slow, or refused credentials: the backend is built anyway (the operations
			// report the failure) as if ENABLED, which never loses metadata silently either: writes with
			// metadata check what the server stored, writes without it go on without dead properties
			return true;
		}
	}

	/**
	 * Deletes the temporary resources older than the given age that writers which died mid-write
	 * left behind (see {@link WebDavSweeper}).
	 * @param maxAge the age
	 * @return the number deleted
	 */
	Mono<Integer> sweepTemporaries(Duration maxAge) {
		return this.sweeper.sweep(maxAge);
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public WebDavSettings settings() {
		return this.settings;
	}

	@Override
	public String scheme() {
		return "webdav";
	}

	@Override
	public String location() {
		return this.client.url(this.client.rootPrefix());
	}

	@Override
	public Capabilities capabilities() {
		return this.properties ? WITH_METADATA : WITHOUT_METADATA;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	// ---------------------------------------------------------------- read

	/**
	 * A {@code PROPFIND} for the metadata (dead properties can only be read that way), then a
	 * {@code GET} of the bytes, checked to be of the version the {@code PROPFIND} saw: the served
	 * {@code ETag} must be the server's tag the {@code PROPFIND} gave, and the sizes the response
	 * declares must be that version's. If the object changed in between, both are done again.
	 * Conditions are evaluated on the {@code PROPFIND}'s tag, and the range is resolved against the
	 * size it gave, so an empty object needs no {@code GET}.
	 */
	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		String full = this.client.full(path);
		return this.client.stat(full)
			.flatMap((found) -> open(full, path, options, found.filter(DavResource::isObject).orElse(null)))
			.retryWhen(Retry.max(2)
				.filter(VersionChanged.class::isInstance)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.onErrorMap(VersionChanged.class::isInstance, (ex) -> (options.ifMatch() != null)
					? StorageException.conditionNotMatch(Operation.READ, path, "ifMatch: the object changed")
					: new StorageException(ErrorKind.UNEXPECTED, "The object kept changing while it was opened",
							Operation.READ, path, null, true, ex))
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.READ, path))
			.doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	private Mono<ObjectContent> open(String full, String path, ReadOptions options, @Nullable DavResource resource) {
		if (resource == null) {
			return Mono.error(StorageException.notFound(Operation.READ, path));
		}
		String etag = resource.etag();
		if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), etag)) {
			return Mono.error(StorageException.conditionNotMatch(Operation.READ, path, "ifMatch"));
		}
		if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), etag)) {
			return Mono.error(StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch"));
		}
		ObjectMetadata metadata = resource.metadata(path);
		long length;
		try {
			length = Ranges.length(path, options, metadata.size());
		}
		catch (StorageException ex) {
			return Mono.error(ex);
		}
		if (length == 0) {
			return Mono.just(Contents.empty(metadata, 0)); // an empty object: nothing to GET
		}
		long offset = options.offset();
		boolean whole = offset == 0 && length == metadata.size();
		return this.client.get(this.client.url(full), (headers) -> {
			if (!whole) {
				headers.set(HttpHeaderNames.RANGE, "bytes=" + offset + "-" + (offset + length - 1));
			}
		}, (response) -> respond(response, path, resource, metadata, offset, length));
	}

	/** The {@code GET} served another version than the {@code PROPFIND} before it saw. */
	private static final class VersionChanged extends RuntimeException {

		private static final long serialVersionUID = 1L;

		VersionChanged() {
			super("the object changed between PROPFIND and GET", null, false, false);
		}

	}

	/**
	 * Checks a {@code GET}'s response and makes the content from it. The content owns the response
	 * from here on; on any error the response is discarded by {@link DavClient#get}.
	 */
	private Mono<ObjectContent> respond(DavHttp.StreamedResponse response, String path, DavResource resource,
			ObjectMetadata metadata, long offset, long length) {
		int status = response.status();
		HttpHeaders headers = response.headers();
		long size = metadata.size();
		if (status == 200 || status == 206) {
			String served = DavResource.bare(headers.get(HttpHeaderNames.ETAG));
			String expected = DavResource.bare(resource.serverEtag());
			if (served != null && expected != null && !served.equals(expected)) {
				return Mono.error(new VersionChanged());
			}
			boolean sameTag = served != null && served.equals(expected);
			long declared = contentLength(headers);
			long skip;
			long total;
			if (status == 206) {
				String contentRange = headers.get(HttpHeaderNames.CONTENT_RANGE);
				long[] range = parseContentRange(contentRange);
				if (range != null && range[2] >= 0 && range[2] != size) {
					return Mono.error(sizeMismatch(path, sameTag, "Content-Range: " + contentRange, size));
				}
				if (range == null || range[0] != offset || range[1] - range[0] + 1 != length) {
					return Mono.error(unexpected(path, "the server answered the range " + offset + "-"
							+ (offset + length - 1) + " with Content-Range: " + contentRange));
				}
				if (declared >= 0 && declared != length) {
					return Mono.error(unexpected(path, "the server sent Content-Length: " + declared
							+ " with Content-Range: " + contentRange));
				}
				skip = 0;
				total = length;
			}
			else {
				// the whole object, also when a range was asked for (a server may ignore it): cut it here
				if (declared >= 0 && declared != size) {
					return Mono.error(sizeMismatch(path, sameTag, "Content-Length: " + declared, size));
				}
				skip = offset;
				total = size;
			}
			Flux<DataBuffer> body = slice(response.body(), skip, length, total, path)
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
				.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.READ, path));
			return Mono.just(Contents.streamed(metadata, offset, length, body, response::discard));
		}
		if (status == 416) {
			// the range was within the size the PROPFIND gave: the object has shrunk since
			return response.body().then(Mono.error(new VersionChanged()));
		}
		if (status == 301 || status == 302 || status == 307 || status == 308) {
			// httpd redirects a collection's URL to the same with a '/': a directory is not an object
			return response.body().then(Mono.error(StorageException.notFound(Operation.READ, path)));
		}
		return response.whole().flatMap((answer) -> Mono.error(answer.error("GET")));
	}

	private static StorageException unexpected(String path, String detail) {
		return new StorageException(ErrorKind.UNEXPECTED, "Unexpected WebDAV response to a read of " + path + ": "
				+ detail, Operation.READ, path, null, false, null);
	}

	/**
	 * A response that declares another size than the {@code PROPFIND}'s: another version, unless it
	 * carries the very entity tag the {@code PROPFIND} gave, which makes it a server contradicting
	 * itself.
	 */
	private static RuntimeException sizeMismatch(String path, boolean sameTag, String header, long size) {
		return sameTag ? unexpected(path, "the server sent " + header + " for the version of " + size
				+ " bytes with the same entity tag") : new VersionChanged();
	}

	private static long contentLength(HttpHeaders headers) {
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		try {
			return (length != null) ? Long.parseLong(length.trim()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * Parses {@code bytes first-last/size} ({@code size} may be {@code *}).
	 * @return first, last and size ({@code -1} for {@code *}), or {@code null} if it is no such range
	 */
	static long @Nullable [] parseContentRange(@Nullable String contentRange) {
		if (contentRange == null) {
			return null;
		}
		String range = contentRange.trim();
		if (!range.regionMatches(true, 0, "bytes ", 0, 6)) {
			return null;
		}
		int dash = range.indexOf('-', 6);
		int slash = range.indexOf('/', 6);
		if (dash < 0 || slash < dash) {
			return null;
		}
		try {
			long first = Long.parseLong(range.substring(6, dash).trim());
			long last = Long.parseLong(range.substring(dash + 1, slash).trim());
			String size = range.substring(slash + 1).trim();
			long total = size.equals("*") ? -1 : Long.parseLong(size);
			if (first < 0 || last < first || (total >= 0 && last >= total)) {
				return null;
			}
			return new long[] { first, last, total };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Turns the received Netty buffers into data buffers: of the {@code total} bytes the response
	 * carries, those from {@code skip} on, {@code take} of them. Runs as each buffer arrives, before
	 * Reactor Netty releases it: a Netty buffer factory gets a retained slice (no copy), any other
	 * factory a copy. Stops reading (which closes the connection) once the wanted bytes are through
	 * if more follow; otherwise it lets the response end, so that the connection is reused. A
	 * response that carries more than {@code total} bytes, or ends before the wanted ones are
	 * through, fails: a read never ends short.
	 */
	private Flux<DataBuffer> slice(ByteBufFlux body, long skip, long take, long total, String path) {
		long end = skip + take;
		return Flux.defer(() -> {
			long[] position = new long[1];
			return body.<DataBuffer>handle((ByteBuf buffer, SynchronousSink<DataBuffer> sink) -> {
				long start = position[0];
				long stop = start + buffer.readableBytes();
				position[0] = stop;
				if (stop > total) {
					sink.error(unexpected(path, "the response carries more than the " + total + " bytes it declared"));
					return;
				}
				long from = Math.max(start, skip);
				long to = Math.min(stop, end);
				if (from < to) {
					sink.next(toDataBuffer(buffer, buffer.readerIndex() + (int) (from - start), (int) (to - from)));
				}
				if (end < total && stop >= end) {
					sink.complete();
				}
			}).concatWith(Mono.defer(() -> (position[0] < end) ? Mono.error(new StorageException(ErrorKind.UNEXPECTED,
					"The WebDAV response ended after " + Math.max(0, position[0] - skip) + " of the " + take
							+ " bytes expected",
					Operation.READ, path, null, true, null)) : Mono.empty()));
		});
	}

	private DataBuffer toDataBuffer(ByteBuf buffer, int index, int length) {
		if (this.bufferFactory instanceof NettyDataBufferFactory netty) {
			return netty.wrap(buffer.retainedSlice(index, length));
		}
		DataBuffer copy = this.bufferFactory.allocateBuffer(length);
		try {
			copy.write(buffer.nioBuffer(index, length));
			return copy;
		}
		catch (RuntimeException ex) {
			DataBufferUtils.release(copy);
			throw ex;
		}
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return this.writer.write(path, content, options).onErrorMap((ex) -> WebDavErrors.map(ex, Operation.WRITE, path));
	}

	// ---------------------------------------------------------------- stat, delete

	/**
	 * {@code PROPFIND Depth: 0} of the base URL: it is a collection and the credentials are accepted
	 * (the root collection under it is created by the first write).
	 */
	@Override
	public Mono<Void> check() {
		return this.client.stat("").flatMap((found) -> {
			if (found.isPresent() && found.get().collection()) {
				return Mono.<Void>empty();
			}
			return Mono.<Void>error(new StorageException(ErrorKind.CONFIG_INVALID,
					"The base URL is not a collection on the server", Operation.STAT, null, null, false, null));
		}).onErrorMap((ex) -> WebDavErrors.map(ex, Operation.STAT, null));
	}

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return this.client.stat(this.client.full(path))
			.flatMap((found) -> found.filter(DavResource::isObject)
				.map((resource) -> Mono.just(resource.metadata(path)))
				.orElseGet(() -> Mono.error(StorageException.notFound(Operation.STAT, path))))
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.STAT, path));
	}

	@Override
	public Mono<Void> delete(String path) {
		String full = this.client.full(path);
		return deleteAttempt(full, 1)
			.flatMap((deleted) -> deleted ? this.client.pruneEmptyCollections(DavClient.parentOf(full))
					: Mono.<Void>empty())
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.DELETE, path));
	}

	/**
	 * Deletes the objects a few at a time, then the collections they leave empty, once per
	 * collection: checking a collection for members lists it whole, which per object would cost
	 * time quadratic in the size of the collection.
	 */
	@Override
	public Mono<Void> deleteAll(Flux<String> paths) {
		return Mono.defer(() -> {
			Set<String> parents = ConcurrentHashMap.newKeySet();
			return paths.flatMap((path) -> {
				String full = this.client.full(path);
				return deleteAttempt(full, 1).doOnNext((deleted) -> {
					if (deleted) {
						parents.add(DavClient.parentOf(full));
					}
				}).onErrorMap((ex) -> WebDavErrors.map(ex, Operation.DELETE_ALL, path));
			}, 8).then(Mono.defer(() -> Flux.fromIterable(parents)
				.sort(Comparator.comparingInt(String::length).reversed())
				.concatMap(this.client::pruneEmptyCollections)
				.then()));
		});
	}

	/** Deletes a file; a collection (a directory is not an object) or a missing file is left alone. */
	private Mono<Boolean> deleteAttempt(String full, int attempt) {
		return this.client.deleteFile(full).flatMap((status) -> switch (status) {
			case 200, 204 -> Mono.just(true);
			case 423 -> (attempt >= MAX_DELETE_ATTEMPTS)
					? Mono.error(new DavStatusException("DELETE", 423, "the object stays locked"))
					: Mono.delay(WebDavWriter.pause(attempt)).then(Mono.defer(() -> deleteAttempt(full, attempt + 1)));
			default -> Mono.just(false);
		});
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return this.lister.list(prefix, options).onErrorMap((ex) -> WebDavErrors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return this.writer.copy(source, target).onErrorMap((ex) -> WebDavErrors.map(ex, Operation.COPY, source));
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		String from = this.client.full(source);
		String to = this.client.full(target);
		return this.client.stat(from)
			.flatMap((Optional<DavResource> found) -> found.filter(DavResource::isObject).isPresent()
					? Mono.<Void>empty() : Mono.error(StorageException.notFound(Operation.RENAME, source)))
			.then(Mono.defer(() -> this.client.ensureCollection(DavClient.parentOf(to))))
			.then(Mono.defer(() -> this.writer.commit(from, to, target, WriteOptions.defaults(), null)))
			.then(Mono.defer(() -> this.client.pruneEmptyCollections(DavClient.parentOf(from))))
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.RENAME, source));
	}

	@Override
	public void close() {
		this.sweep.dispose();
		this.client.close();
	}

	@Override
	public String toString() {
		return "WebDavBackend[" + location() + "]";
	}

}
