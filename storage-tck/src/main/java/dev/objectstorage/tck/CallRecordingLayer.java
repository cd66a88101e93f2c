package dev.objectstorage.tck;

import java.util.concurrent.atomic.AtomicInteger;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.layer.ForwardingBackend;
import dev.objectstorage.layer.Layer;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * A layer that counts the calls that reach the backend, so that the suite can check that invalid
 * input is rejected before any backend is called.
 */
public final class CallRecordingLayer implements Layer {

	private final AtomicInteger calls = new AtomicInteger();

	/**
	 * How many operations reached the backend.
	 * @return the count
	 */
	public int calls() {
		return this.calls.get();
	}

	@Override
	public StorageBackend apply(StorageBackend backend) {
		return new ForwardingBackend(backend) {

			@Override
			public Mono<ObjectContent> open(String path, ReadOptions options) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.open(path, options);
			}

			@Override
			public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.write(path, content, options);
			}

			@Override
			public Mono<ObjectMetadata> stat(String path) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.stat(path);
			}

			@Override
			public Mono<Void> delete(String path) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.delete(path);
			}

			@Override
			public Mono<Void> deleteAll(Flux<String> paths) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.deleteAll(paths);
			}

			@Override
			public Flux<ObjectEntry> list(String prefix, ListOptions options) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.list(prefix, options);
			}

			@Override
			public Mono<Void> copy(String source, String target) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.copy(source, target);
			}

			@Override
			public Mono<Void> rename(String source, String target) {
				CallRecordingLayer.this.calls.incrementAndGet();
				return super.rename(source, target);
			}

		};
	}

}
