package dev.objectstorage.layer;

import java.net.URI;
import java.time.Duration;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * A backend that forwards every call to another; layers extend it and override what they touch.
 */
public abstract class ForwardingBackend implements StorageBackend {

	protected final StorageBackend delegate;

	protected ForwardingBackend(StorageBackend delegate) {
		this.delegate = delegate;
	}

	/**
	 * The wrapped backend.
	 * @return the delegate
	 */
	public StorageBackend delegate() {
		return this.delegate;
	}

	@Override
	public String scheme() {
		return this.delegate.scheme();
	}

	@Override
	public String location() {
		return this.delegate.location();
	}

	@Override
	public Capabilities capabilities() {
		return this.delegate.capabilities();
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.delegate.bufferFactory();
	}

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return this.delegate.open(path, options);
	}

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return this.delegate.write(path, content, options);
	}

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return this.delegate.stat(path);
	}

	@Override
	public Mono<Void> delete(String path) {
		return this.delegate.delete(path);
	}

	@Override
	public Mono<Void> deleteAll(Flux<String> paths) {
		return this.delegate.deleteAll(paths);
	}

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return this.delegate.list(prefix, options);
	}

	@Override
	public Mono<Void> copy(String source, String target) {
		return this.delegate.copy(source, target);
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return this.delegate.rename(source, target);
	}

	@Override
	public Mono<URI> presignRead(String path, Duration expiresIn) {
		return this.delegate.presignRead(path, expiresIn);
	}

	@Override
	public Mono<URI> presignWrite(String path, Duration expiresIn) {
		return this.delegate.presignWrite(path, expiresIn);
	}

	/** Goes straight to the backend: health checks are neither retried, timed nor counted by layers. */
	@Override
	public Mono<Void> check() {
		return this.delegate.check();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

}
