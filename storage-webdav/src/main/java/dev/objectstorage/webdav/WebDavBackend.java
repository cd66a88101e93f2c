package dev.objectstorage.webdav;

import java.time.Duration;
import java.util.Objects;

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
import dev.objectstorage.spi.StorageBackend;
import io.netty.buffer.PooledByteBufAllocator;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
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

	private final WebDavSettings settings;

	private final DataBufferFactory bufferFactory;

	private final DavClient client;

	private final WebDavWriter writer;

	private final WebDavReader reader;

	private final WebDavLister lister;

	private final WebDavOperations operations;

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
			this.properties = WebDavCapabilities.storesProperties(settings, this.client);
		}
		catch (RuntimeException ex) {
			this.client.close();
			throw ex;
		}
		this.writer = new WebDavWriter(this.client, this.properties, settings.atomicPut());
		this.reader = new WebDavReader(this.client, this.bufferFactory);
		this.lister = new WebDavLister(this.client);
		this.operations = new WebDavOperations(this.client, this.writer);
		this.sweeper = new WebDavSweeper(this.client, settings.lockTimeout());
		Duration maxAge = settings.tempMaxAge();
		this.sweep = maxAge.isZero() ? Disposables.disposed()
				: this.sweeper.sweep(maxAge).subscribe((count) -> {
				}, (ex) -> {
					// best effort: the next start sweeps again
				});
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
		return WebDavCapabilities.of(this.properties);
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	// ---------------------------------------------------------------- read

	/**
	 * A {@code PROPFIND} for the metadata, then a {@code GET} of the bytes checked to be of that
	 * version (see {@link WebDavReader}).
	 */
	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return this.reader.open(path, options);
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
		return this.operations.delete(path);
	}

	/**
	 * Deletes the objects a few at a time, then the collections they leave empty, once per
	 * collection (see {@link WebDavOperations#deleteAll}).
	 */
	@Override
	public Mono<Void> deleteAll(Flux<String> paths) {
		return this.operations.deleteAll(paths);
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
		return this.operations.rename(source, target);
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
