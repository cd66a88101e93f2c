package dev.objectstorage;

import dev.objectstorage.spi.ObjectPaths;
import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.Ranges;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.objectstorage.layer.ForwardingContent;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The {@link ObjectStorage} that {@link ObjectStorage#builder()} builds: validates and normalises
 * every argument once, checks capabilities, then calls the (layered) backend. It holds no
 * backend-specific code.
 */
final class DefaultObjectStorage implements ObjectStorage {

	/** How many buffers an {@link #openInputStream} keeps requested ahead of the reader. */
	private static final int INPUT_STREAM_DEMAND = 4;

	private final String name;

	private final StorageBackend backend;

	private final Capabilities capabilities;

	private final boolean guessContentType;

	DefaultObjectStorage(String name, StorageBackend backend) {
		this(name, backend, true);
	}

	DefaultObjectStorage(String name, StorageBackend backend, boolean guessContentType) {
		this.name = name;
		this.backend = backend;
		this.capabilities = backend.capabilities();
		this.guessContentType = guessContentType && this.capabilities.writeWithContentType();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String scheme() {
		return this.backend.scheme();
	}

	@Override
	public String location() {
		return this.backend.location();
	}

	@Override
	public Capabilities capabilities() {
		return this.capabilities;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.backend.bufferFactory();
	}

	// ---------------------------------------------------------------- read

	@Override
	public Flux<DataBuffer> read(String path) {
		return read(path, ReadOptions.defaults());
	}

	@Override
	public Flux<DataBuffer> read(String path, ReadOptions options) {
		return open(path, options).flatMapMany(ObjectContent::body);
	}

	@Override
	public Mono<ObjectContent> open(String path) {
		return open(path, ReadOptions.defaults());
	}

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		requireNonNull(path, "path");
		requireNonNull(options, "options");
		return Mono.defer(() -> {
			String p = object(path);
			if (options.hasRange()) {
				require(this.capabilities.readWithRange(), "range reads");
			}
			if (options.ifMatch() != null) {
				require(this.capabilities.readWithIfMatch(), "reads with ifMatch");
			}
			if (options.ifNoneMatch() != null) {
				require(this.capabilities.readWithIfNoneMatch(), "reads with ifNoneMatch");
			}
			Mono<ObjectContent> content = (options.length() == 0) ? emptyRange(p, options) : this.backend.open(p, options);
			return content.<ObjectContent>map((opened) -> new ErrorMappedContent(opened, p))
				.onErrorMap((ex) -> error(ex, Operation.READ, p));
		}).onErrorMap((ex) -> error(ex, Operation.READ, null)).doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	/** A zero-length range: no bytes, but the same errors as any other read. */
	private Mono<ObjectContent> emptyRange(String path, ReadOptions options) {
		return this.backend.stat(path).map((meta) -> {
			if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), meta.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifMatch");
			}
			if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), meta.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch");
			}
			if (meta.size() > 0 && options.offset() >= meta.size()) {
				throw Ranges.notSatisfiable(path, options.offset(), meta.size());
			}
			return Contents.empty(meta, options.offset());
		});
	}

	/** Errors of the body carry the storage's name, the operation and the path, as every other error. */
	private final class ErrorMappedContent extends ForwardingContent {

		private final String path;

		ErrorMappedContent(ObjectContent delegate, String path) {
			super(delegate);
			this.path = path;
		}

		@Override
		protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
			return body.onErrorMap((ex) -> error(ex, Operation.READ, this.path));
		}

		@Override
		protected Mono<Void> transfer(FileSender sender) {
			return this.delegate.transferTo(sender).onErrorMap((ex) -> error(ex, Operation.READ, this.path));
		}

	}

	@Override
	public Mono<byte[]> readAllBytes(String path) {
		return DataBufferUtils.join(read(path)).map((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return bytes;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty(new byte[0]);
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Publisher<? extends DataBuffer> content) {
		return write(path, content, WriteOptions.defaults());
	}

	@Override
	public Mono<ObjectMetadata> write(String path, byte[] content) {
		requireNonNull(content, "content");
		return write(path, Mono.fromSupplier(() -> bufferFactory().wrap(content)), WriteOptions.defaults());
	}

	@Override
	public Mono<ObjectMetadata> write(String path, Publisher<? extends DataBuffer> content, WriteOptions options) {
		requireNonNull(path, "path");
		requireNonNull(content, "content");
		requireNonNull(options, "options");
		return Mono.defer(() -> {
			TrackedContent tracked = new TrackedContent(content);
			String p;
			WriteOptions o;
			try {
				p = object(path);
				checkWriteOptions(options);
				o = withGuessedContentType(p, options);
			}
			catch (StorageException ex) {
				return tracked.discardIfUnused().then(Mono.error(ex));
			}
			Flux<DataBuffer> body = tracked.flux();
			if (o.contentLength() >= 0) {
				body = declaredLength(body, o.contentLength());
			}
			return this.backend.write(p, body, o)
				// a backend that fails before it subscribes to the content must not leak its buffers
				.onErrorResume((ex) -> tracked.discardIfUnused().then(Mono.error(ex)))
				.doOnCancel(() -> tracked.discardIfUnused().subscribe())
				.onErrorMap((ex) -> error(ex, Operation.WRITE, p));
		}).onErrorMap((ex) -> error(ex, Operation.WRITE, null));
	}

	/**
	 * The options with the content type guessed from the path's extension where the caller gave
	 * none, guessing is on and the backend stores content types.
	 */
	private WriteOptions withGuessedContentType(String path, WriteOptions options) {
		if (!this.guessContentType || options.contentType() != null) {
			return options;
		}
		String guessed = ContentTypes.guess(path);
		return (guessed != null) ? options.withContentType(guessed) : options;
	}

	/**
	 * Fails content that runs past, or ends before, its declared length, so that the backend (whose
	 * write publishes nothing when its content fails) never stores a cut-off upload as complete.
	 */
	private static Flux<DataBuffer> declaredLength(Flux<DataBuffer> content, long declared) {
		return Flux.defer(() -> {
			long[] received = new long[1];
			return content.<DataBuffer>handle((buffer, sink) -> {
				received[0] += buffer.readableByteCount();
				if (received[0] > declared) {
					DataBufferUtils.release(buffer);
					sink.error(StorageException.invalidInput(
							"The content runs past its declared length of " + declared + " bytes"));
					return;
				}
				sink.next(buffer);
			}).concatWith(Mono.defer(() -> (received[0] < declared) ? Mono.error(StorageException.invalidInput(
					"The content ended after " + received[0] + " of its declared " + declared + " bytes"))
					: Mono.empty()));
		});
	}

	/** A normalised object path the backend can hold (see {@link Capabilities#segmentsEndingInDot()}). */
	private String object(String path) {
		return checkSegments(ObjectPaths.object(path));
	}

	private String object(String path, String argument) {
		return checkSegments(ObjectPaths.object(path, argument));
	}

	private String prefix(String prefix) {
		String p = ObjectPaths.prefix(prefix);
		int end = this.capabilities.segmentsEndingInDot() ? -1 : p.lastIndexOf('/');
		if (end > 0) {
			checkSegments(p.substring(0, end)); // the last segment of a prefix may be incomplete
		}
		return p;
	}

	private String checkSegments(String path) {
		if (!this.capabilities.segmentsEndingInDot()) {
			for (int i = 0; i < path.length(); i++) {
				if (path.charAt(i) == '.' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
					throw StorageException.invalidInput("'" + path + "' has a segment that ends in '.', which "
							+ this.backend.scheme() + " cannot hold (it drops the dot)");
				}
			}
		}
		return path;
	}

	private void checkWriteOptions(WriteOptions options) {
		if (options.ifNotExists()) {
			require(this.capabilities.writeWithIfNotExists(), "writes with ifNotExists");
		}
		if (options.ifMatch() != null) {
			require(this.capabilities.writeWithIfMatch(), "writes with ifMatch");
		}
		if (options.contentType() != null) {
			require(this.capabilities.writeWithContentType(), "writes with a content type");
		}
		if (!options.userMetadata().isEmpty()) {
			require(this.capabilities.writeWithUserMetadata(), "writes with user metadata");
		}
		if (options.cacheControl() != null) {
			require(this.capabilities.writeWithCacheControl(), "writes with cache control");
		}
		if (options.contentDisposition() != null) {
			require(this.capabilities.writeWithContentDisposition(), "writes with a content disposition");
		}
	}

	// ---------------------------------------------------------------- stat, exists, delete

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		requireNonNull(path, "path");
		return Mono.defer(() -> {
			String p = object(path);
			return this.backend.stat(p).onErrorMap((ex) -> error(ex, Operation.STAT, p));
		}).onErrorMap((ex) -> error(ex, Operation.STAT, null));
	}

	@Override
	public Mono<Boolean> exists(String path) {
		return stat(path).map((meta) -> true)
			.onErrorResume((ex) -> ex instanceof StorageException se && se.kind() == ErrorKind.NOT_FOUND,
					(ex) -> Mono.just(false));
	}

	@Override
	public Mono<Void> delete(String path) {
		requireNonNull(path, "path");
		return Mono.defer(() -> {
			String p = object(path);
			return this.backend.delete(p).onErrorMap((ex) -> error(ex, Operation.DELETE, p));
		}).onErrorMap((ex) -> error(ex, Operation.DELETE, null));
	}

	@Override
	public Mono<Void> deleteAll(Publisher<String> paths) {
		requireNonNull(paths, "paths");
		return Mono.defer(() -> this.backend.deleteAll(Flux.from(paths).map(this::object)))
			.onErrorMap((ex) -> error(ex, Operation.DELETE_ALL, null));
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix) {
		return list(prefix, ListOptions.defaults());
	}

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		requireNonNull(prefix, "prefix");
		requireNonNull(options, "options");
		return Flux.defer(() -> {
			String p = prefix(prefix);
			ListOptions opts = options;
			if (options.recursive()) {
				require(this.capabilities.listWithRecursive(), "recursive listings");
			}
			if (options.startAfter() != null) {
				require(this.capabilities.listWithStartAfter(), "listings with startAfter");
				String startAfter = stripLeadingSlashes(options.startAfter());
				opts = options.withStartAfter(startAfter.isEmpty() ? null : startAfter);
			}
			if (opts.limit() == 0) {
				return Flux.empty();
			}
			Flux<ObjectEntry> entries = this.backend.list(p, opts);
			if (opts.limit() != Long.MAX_VALUE) {
				entries = entries.take(opts.limit(), true);
			}
			return entries.onErrorMap((ex) -> error(ex, Operation.LIST, p));
		}).onErrorMap((ex) -> error(ex, Operation.LIST, null));
	}

	private static String stripLeadingSlashes(String s) {
		int i = 0;
		while (i < s.length() && s.charAt(i) == '/') {
			i++;
		}
		return s.substring(i);
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return transfer(source, target, Operation.COPY);
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return transfer(source, target, Operation.RENAME);
	}

	private Mono<Void> transfer(String source, String target, Operation operation) {
		requireNonNull(source, "source");
		requireNonNull(target, "target");
		return Mono.defer(() -> {
			String s = object(source, "source");
			String t = object(target, "target");
			boolean copy = operation == Operation.COPY;
			require(copy ? this.capabilities.copy() : this.capabilities.rename(), operation.id());
			Mono<Void> result;
			if (s.equals(t)) {
				result = this.backend.stat(s).then(); // nothing to move, but the source must exist
			}
			else {
				result = copy ? this.backend.copy(s, t) : this.backend.rename(s, t);
			}
			return result.onErrorMap((ex) -> error(ex, operation, s));
		}).onErrorMap((ex) -> error(ex, operation, null));
	}

	// ---------------------------------------------------------------- presign

	@Override
	public Mono<URI> presignRead(String path, Duration expiresIn) {
		return presign(path, expiresIn, Operation.PRESIGN_READ);
	}

	@Override
	public Mono<URI> presignWrite(String path, Duration expiresIn) {
		return presign(path, expiresIn, Operation.PRESIGN_WRITE);
	}

	private Mono<URI> presign(String path, Duration expiresIn, Operation operation) {
		requireNonNull(path, "path");
		requireNonNull(expiresIn, "expiresIn");
		return Mono.defer(() -> {
			String p = object(path);
			if (expiresIn.isNegative() || expiresIn.isZero()) {
				throw StorageException.invalidInput("expiresIn must be positive, was " + expiresIn);
			}
			if (operation == Operation.PRESIGN_READ) {
				require(this.capabilities.presignRead(), "presigned read URLs");
			}
			else {
				require(this.capabilities.presignWrite(), "presigned write URLs");
			}
			Mono<URI> uri = (operation == Operation.PRESIGN_READ) ? this.backend.presignRead(p, expiresIn)
					: this.backend.presignWrite(p, expiresIn);
			return uri.onErrorMap((ex) -> error(ex, operation, p));
		}).onErrorMap((ex) -> error(ex, operation, null));
	}

	// ---------------------------------------------------------------- blocking adapters

	@Override
	public InputStream openInputStream(String path) {
		return openInputStream(path, ReadOptions.defaults());
	}

	@Override
	public InputStream openInputStream(String path, ReadOptions options) {
		InputStream in = DataBufferUtils.subscriberInputStream(read(path, options), INPUT_STREAM_DEMAND);
		return new StorageInputStream(in);
	}

	@Override
	public StorageOutputStream openOutputStream(String path) {
		return openOutputStream(path, WriteOptions.defaults());
	}

	@Override
	public StorageOutputStream openOutputStream(String path, WriteOptions options) {
		requireNonNull(path, "path");
		requireNonNull(options, "options");
		return new PublisherOutputStream(bufferFactory(), (content) -> write(path, content, options));
	}

	@Override
	public Resource resource(String path) {
		requireNonNull(path, "path");
		return new StorageResource(this, object(path));
	}

	@Override
	public Mono<Void> check() {
		return Mono.defer(this.backend::check).onErrorMap((ex) -> error(ex, Operation.STAT, null));
	}

	@Override
	public void close() {
		this.backend.close();
	}

	@Override
	public String toString() {
		return "ObjectStorage[name=" + this.name + ", scheme=" + scheme() + ", location=" + location() + "]";
	}

	// ---------------------------------------------------------------- helpers

	private void require(boolean supported, String what) {
		if (!supported) {
			throw new StorageException(ErrorKind.UNSUPPORTED,
					"The " + scheme() + " backend of storage '" + this.name + "' does not support " + what);
		}
	}

	private static void requireNonNull(@Nullable Object argument, String name) {
		if (argument == null) {
			throw StorageException.invalidInput(name + " must not be null");
		}
	}

	private Throwable error(Throwable ex, Operation operation, @Nullable String path) {
		if (ex instanceof StorageException se) {
			return se.withContext(operation, path, this.name);
		}
		return new StorageException(ErrorKind.UNEXPECTED, String.valueOf(ex.getMessage()), operation, path, this.name,
				false, ex);
	}

	/**
	 * Write content that remembers whether anyone subscribed to it, so that it can be drained (its
	 * buffers released) when the write ends without consuming it.
	 */
	private static final class TrackedContent {

		private final Publisher<? extends DataBuffer> source;

		private final AtomicBoolean subscribed = new AtomicBoolean();

		TrackedContent(Publisher<? extends DataBuffer> source) {
			this.source = source;
		}

		Flux<DataBuffer> flux() {
			return Flux.<DataBuffer>from(this.source).doOnSubscribe((s) -> this.subscribed.set(true));
		}

		Mono<Void> discardIfUnused() {
			if (!this.subscribed.compareAndSet(false, true)) {
				return Mono.empty();
			}
			return Mono.<Void>create((sink) -> Flux.<DataBuffer>from(this.source)
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
				.subscribe(new BaseSubscriber<DataBuffer>() {
					@Override
					protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
						// Cancel at once: sources that hold buffers release them on cancel (through
						// the discard hook); those that emitted anyway are released in hookOnNext.
						subscription.cancel();
						sink.success();
					}

					@Override
					protected void hookOnNext(DataBuffer buffer) {
						DataBufferUtils.release(buffer);
					}
				}));
		}

	}

	/** Turns errors of the read into {@link IOException}s, as callers of an {@link InputStream} expect. */
	private static final class StorageInputStream extends FilterInputStream {

		StorageInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			return call(super::read);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			return call(() -> super.read(b, off, len));
		}

		private static int call(IoSupplier supplier) throws IOException {
			try {
				return supplier.get();
			}
			catch (StorageException ex) {
				throw new IOException(ex.getMessage(), ex);
			}
		}

		@FunctionalInterface
		private interface IoSupplier {

			int get() throws IOException;

		}

	}


}
