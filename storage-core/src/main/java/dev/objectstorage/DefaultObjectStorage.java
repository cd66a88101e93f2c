package dev.objectstorage;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

import dev.objectstorage.spi.StorageBackend;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import static dev.objectstorage.StorageErrors.requireNonNull;

/**
 * The {@link ObjectStorage} that {@link ObjectStorage#builder()} builds: validates and normalises
 * every argument once, checks capabilities, then calls the (layered) backend. It holds no
 * backend-specific code. The front door's concerns have their own classes: {@link PathChecks},
 * {@link CapabilityChecks}, {@link StorageErrors} (every error's context), {@link StorageReader}
 * (opening objects), {@link StorageWriter} (writes with declared lengths and the release of unused
 * content), {@link StorageInputStream} and {@link PublisherOutputStream} (the blocking adapters).
 */
final class DefaultObjectStorage implements ObjectStorage {

	private final String name;

	private final StorageBackend backend;

	private final Capabilities capabilities;

	private final PathChecks paths;

	private final CapabilityChecks checks;

	private final StorageErrors errors;

	private final StorageReader reader;

	private final StorageWriter writer;

	DefaultObjectStorage(String name, StorageBackend backend) {
		this(name, backend, true);
	}

	DefaultObjectStorage(String name, StorageBackend backend, boolean guessContentType) {
		this.name = name;
		this.backend = backend;
		this.capabilities = backend.capabilities();
		this.paths = new PathChecks(this.capabilities, backend);
		this.checks = new CapabilityChecks(this.capabilities, name, backend);
		this.errors = new StorageErrors(name);
		this.reader = new StorageReader(backend, this.paths, this.checks, this.errors);
		this.writer = new StorageWriter(backend, this.paths, this.checks, this.errors,
				guessContentType && this.capabilities.writeWithContentType());
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
		return this.reader.open(path, options);
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
		return this.writer.write(path, content, options);
	}

	// ---------------------------------------------------------------- stat, exists, delete

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		requireNonNull(path, "path");
		return Mono.defer(() -> {
			String p = this.paths.object(path);
			return this.backend.stat(p).onErrorMap((ex) -> this.errors.map(ex, Operation.STAT, p));
		}).onErrorMap((ex) -> this.errors.map(ex, Operation.STAT, null));
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
			String p = this.paths.object(path);
			return this.backend.delete(p).onErrorMap((ex) -> this.errors.map(ex, Operation.DELETE, p));
		}).onErrorMap((ex) -> this.errors.map(ex, Operation.DELETE, null));
	}

	@Override
	public Mono<Void> deleteAll(Publisher<String> paths) {
		requireNonNull(paths, "paths");
		return Mono.defer(() -> this.backend.deleteAll(Flux.from(paths).map(this.paths::object)))
			.onErrorMap((ex) -> this.errors.map(ex, Operation.DELETE_ALL, null));
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
			String p = this.paths.prefix(prefix);
			this.checks.checkList(options);
			ListOptions opts = options;
			if (options.startAfter() != null) {
				String startAfter = PathChecks.startAfter(options.startAfter());
				opts = options.withStartAfter(startAfter.isEmpty() ? null : startAfter);
			}
			if (opts.limit() == 0) {
				return Flux.empty();
			}
			Flux<ObjectEntry> entries = this.backend.list(p, opts);
			if (opts.limit() != Long.MAX_VALUE) {
				entries = entries.take(opts.limit(), true);
			}
			return entries.onErrorMap((ex) -> this.errors.map(ex, Operation.LIST, p));
		}).onErrorMap((ex) -> this.errors.map(ex, Operation.LIST, null));
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
			String s = this.paths.object(source, "source");
			String t = this.paths.object(target, "target");
			this.checks.checkTransfer(operation);
			Mono<Void> result;
			if (s.equals(t)) {
				result = this.backend.stat(s).then(); // nothing to move, but the source must exist
			}
			else {
				result = (operation == Operation.COPY) ? this.backend.copy(s, t) : this.backend.rename(s, t);
			}
			return result.onErrorMap((ex) -> this.errors.map(ex, operation, s));
		}).onErrorMap((ex) -> this.errors.map(ex, operation, null));
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
			String p = this.paths.object(path);
			if (expiresIn.isNegative() || expiresIn.isZero()) {
				throw StorageException.invalidInput("expiresIn must be positive, was " + expiresIn);
			}
			this.checks.checkPresign(operation);
			Mono<URI> uri = (operation == Operation.PRESIGN_READ) ? this.backend.presignRead(p, expiresIn)
					: this.backend.presignWrite(p, expiresIn);
			return uri.onErrorMap((ex) -> this.errors.map(ex, operation, p));
		}).onErrorMap((ex) -> this.errors.map(ex, operation, null));
	}

	// ---------------------------------------------------------------- blocking adapters

	@Override
	public InputStream openInputStream(String path) {
		return openInputStream(path, ReadOptions.defaults());
	}

	@Override
	public InputStream openInputStream(String path, ReadOptions options) {
		return StorageInputStream.of(read(path, options), bufferFactory());
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
		return new StorageResource(this, this.paths.object(path));
	}

	@Override
	public Mono<Void> check() {
		return Mono.defer(this.backend::check).onErrorMap((ex) -> this.errors.map(ex, Operation.STAT, null));
	}

	@Override
	public void close() {
		this.backend.close();
	}

	@Override
	public String toString() {
		return "ObjectStorage[name=" + this.name + ", scheme=" + scheme() + ", location=" + location() + "]";
	}

}
