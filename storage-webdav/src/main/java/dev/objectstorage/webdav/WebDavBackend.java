package dev.objectstorage.webdav;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.Etags;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.Ranges;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.ReadVersion;
import dev.objectstorage.spi.StorageBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.retry.Retry;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * A backend for WebDAV servers (RFC 4918; tested against Apache httpd with mod_dav_fs) on Reactor
 * Netty's non-blocking HTTP client, with one bounded connection pool per backend.
 * <ul>
 * <li>Reads are a {@code GET}, with a {@code Range} header for ranges; a server that ignores it
 * answers 200 and the bytes are cut here. Conditional reads compare the entity tag from a
 * {@code PROPFIND} first (see below why not {@code If-Match}) and check that the {@code GET}
 * serves that same version.</li>
 * <li>Writes are atomic (see {@link WebDavWriter}); missing parent collections are created with
 * {@code MKCOL}. Collections are not objects: a non-recursive listing shows them as {@code dir/},
 * and a delete removes the collections it leaves empty.</li>
 * <li>Listings walk the tree with {@code PROPFIND Depth: 1}, lazily (see {@link WebDavLister}).</li>
 * <li>Copy is a server-side {@code COPY}, rename a {@code MOVE}; both keep the metadata.</li>
 * <li>Content type, cache control, content disposition and user metadata are WebDAV dead
 * properties (see {@link DavXml}).</li>
 * <li>Entity tags are the server's {@code getetag} (without httpd's weak prefix) plus a random tag
 * per write, so that two versions never share one (see {@link DavResource#etag()}). Because the
 * exposed tag is not the server's, conditions are evaluated here, not with {@code If-Match}.</li>
 * </ul>
 * No presigned URLs: WebDAV has none.
 */
public class WebDavBackend implements StorageBackend {

	private static final Capabilities CAPABILITIES = Capabilities.full().build();

	private static final int MAX_DELETE_ATTEMPTS = 8;

	private final WebDavSettings settings;

	private final DataBufferFactory bufferFactory;

	private final DavClient client;

	private final WebDavWriter writer;

	private final WebDavLister lister;

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
		this.writer = new WebDavWriter(this.client);
		this.lister = new WebDavLister(this.client);
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
		return CAPABILITIES;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	// ---------------------------------------------------------------- read

	@Override
	public Flux<DataBuffer> read(String path, ReadOptions options) {
		String full = this.client.full(path);
		return Flux.deferContextual((context) -> {
			boolean conditional = options.ifMatch() != null || options.ifNoneMatch() != null;
			if (!conditional && !context.hasKey(ReadVersion.class)) {
				return get(full, path, options, null);
			}
			return this.client.stat(full).flatMapMany((found) -> {
				DavResource resource = found.filter(DavResource::isObject).orElse(null);
				if (resource == null) {
					return Flux.error(StorageException.notFound(Operation.READ, path));
				}
				String etag = resource.etag();
				if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), etag)) {
					return Flux.error(StorageException.conditionNotMatch(Operation.READ, path, "ifMatch"));
				}
				if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), etag)) {
					return Flux.error(StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch"));
				}
				// the version being streamed, so that a retry can resume this very version
				ReadVersion.report(context, etag);
				return get(full, path, options, resource.serverEtag());
			});
		})
			.retryWhen(Retry.max(2)
				.filter(VersionChanged.class::isInstance)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.onErrorMap(VersionChanged.class::isInstance, (ex) -> (options.ifMatch() != null)
					? StorageException.conditionNotMatch(Operation.READ, path, "ifMatch: the object changed")
					: new StorageException(ErrorKind.UNEXPECTED, "The object kept changing while it was read",
							Operation.READ, path, null, true, ex))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.READ, path));
	}

	/** The {@code GET} served another version than the {@code PROPFIND} before it saw. */
	private static final class VersionChanged extends RuntimeException {

		private static final long serialVersionUID = 1L;

		VersionChanged() {
			super("the object changed between PROPFIND and GET", null, false, false);
		}

	}

	private Flux<DataBuffer> get(String full, String path, ReadOptions options, @Nullable String expectedEtag) {
		long end = (options.length() < 0) ? -1 : options.offset() + options.length() - 1;
		return this.client.get(this.client.url(full), (headers) -> {
			if (options.hasRange()) {
				headers.set(HttpHeaderNames.RANGE, "bytes=" + options.offset() + "-" + ((end >= 0) ? end : ""));
			}
		}, (response, body) -> respond(response, body, path, options, expectedEtag));
	}

	private Flux<DataBuffer> respond(HttpClientResponse response, ByteBufFlux body, String path, ReadOptions options,
			@Nullable String expectedEtag) {
		int status = response.status().code();
		if (status == 200 || status == 206) {
			if (expectedEtag != null) {
				String served = DavResource.bare(response.responseHeaders().get(HttpHeaderNames.ETAG));
				if (served != null && !served.equals(DavResource.bare(expectedEtag))) {
					return Flux.error(new VersionChanged());
				}
			}
			long skip = 0;
			long take = -1;
			if (status == 200 && options.hasRange()) {
				// the server ignored the range: cut it here
				long size = contentLength(response);
				if (size > 0 && options.offset() >= size) {
					return Flux.error(Ranges.notSatisfiable(path, options.offset(), size));
				}
				skip = options.offset();
				take = options.length();
			}
			return slice(body, skip, take);
		}
		if (status == 416) {
			String range = response.responseHeaders().get(HttpHeaderNames.CONTENT_RANGE);
			long size = sizeOfContentRange(range);
			if (size == 0) {
				return body.then(Mono.<DataBuffer>empty()).flux(); // an empty object has no bytes to refuse
			}
			return body.then(Mono.<DataBuffer>error(Ranges.notSatisfiable(path, options.offset(), size))).flux();
		}
		if (status == 301 || status == 302 || status == 307 || status == 308) {
			// httpd redirects a collection's URL to the same with a '/': a directory is not an object
			return body.then(Mono.<DataBuffer>error(StorageException.notFound(Operation.READ, path))).flux();
		}
		return body.aggregate()
			.asString()
			.defaultIfEmpty("")
			.flatMapMany((text) -> Flux.error(new DavClient.DavResponse(status, response.responseHeaders(),
					text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).error("GET")));
	}

	private static long contentLength(HttpClientResponse response) {
		String length = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
		try {
			return (length != null) ? Long.parseLong(length.trim()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static long sizeOfContentRange(@Nullable String range) {
		if (range == null) {
			return -1;
		}
		int slash = range.lastIndexOf('/');
		try {
			return (slash >= 0) ? Long.parseLong(range.substring(slash + 1).trim()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * Turns the received Netty buffers into data buffers, from byte {@code skip} on and at most
	 * {@code take} bytes ({@code -1}: all), and stops reading once they are through. Runs as each
	 * buffer arrives, before Reactor Netty releases it: a Netty buffer factory gets a retained slice
	 * (no copy), any other factory a copy.
	 */
	private Flux<DataBuffer> slice(ByteBufFlux body, long skip, long take) {
		long end = (take < 0) ? Long.MAX_VALUE : skip + take;
		long[] position = new long[1];
		return body.handle((ByteBuf buffer, SynchronousSink<DataBuffer> sink) -> {
			long start = position[0];
			long stop = start + buffer.readableBytes();
			position[0] = stop;
			long from = Math.max(start, skip);
			long to = Math.min(stop, end);
			if (from < to) {
				sink.next(toDataBuffer(buffer, buffer.readerIndex() + (int) (from - start), (int) (to - from)));
			}
			if (stop >= end) {
				sink.complete();
			}
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
			.then(Mono.defer(() -> this.writer.commit(from, to, target, WriteOptions.defaults())))
			.then(Mono.defer(() -> this.client.pruneEmptyCollections(DavClient.parentOf(from))))
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.RENAME, source));
	}

	@Override
	public void close() {
		this.client.close();
	}

	@Override
	public String toString() {
		return "WebDavBackend[" + location() + "]";
	}

}
