package dev.objectstorage.layer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Lets at most {@code maxConcurrent} operations run on the backend at once; the others wait, without
 * blocking a thread, in arrival order. A permit is held from subscription until the operation
 * completes, fails or is cancelled (a listing holds it while it streams, a read until its content
 * is consumed or released).
 * <p>
 * Written by hand: Reactor has no asynchronous semaphore, and Resilience4j's bulkhead for Reactor
 * rejects instead of queueing.
 */
public final class ConcurrencyLimitLayer implements Layer {

	private final int maxConcurrent;

	public ConcurrencyLimitLayer(int maxConcurrent) {
		if (maxConcurrent < 1) {
			throw new InvalidSettingException("ConcurrencyLimitLayer", "maxConcurrent",
					"must be at least 1, was " + maxConcurrent);
		}
		this.maxConcurrent = maxConcurrent;
	}

	@Override
	public StorageBackend apply(StorageBackend backend) {
		return new Limited(backend, new Permits(this.maxConcurrent));
	}

	/** An asynchronous, fair semaphore. */
	static final class Permits {

		private final AtomicInteger available;

		private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

		Permits(int permits) {
			this.available = new AtomicInteger(permits);
		}

		Mono<Permit> acquire() {
			return Mono.create((sink) -> {
				Waiter waiter = new Waiter(sink);
				this.waiting.add(waiter);
				sink.onCancel(waiter::cancel);
				drain();
			});
		}

		private void drain() {
			while (!this.waiting.isEmpty()) {
				int free = this.available.get();
				if (free == 0) {
					return;
				}
				if (!this.available.compareAndSet(free, free - 1)) {
					continue;
				}
				Waiter next = this.waiting.poll();
				if (next == null) {
					this.available.incrementAndGet(); // raced with another drain: give it back
					continue;
				}
				next.grant(new Permit(this));
			}
		}

		int available() {
			return this.available.get();
		}

	}

	/** A subscriber waiting for a permit; a permit granted after it cancelled goes back at once. */
	private static final class Waiter {

		private final MonoSink<Permit> sink;

		private volatile Permit granted;

		private volatile boolean cancelled;

		Waiter(MonoSink<Permit> sink) {
			this.sink = sink;
		}

		void grant(Permit permit) {
			this.granted = permit;
			if (this.cancelled) {
				permit.release();
				return;
			}
			this.sink.success(permit);
		}

		void cancel() {
			this.cancelled = true;
			Permit permit = this.granted;
			if (permit != null) {
				permit.release(); // idempotent: the operation may have released it already
			}
		}

	}

	/** One permit; releasing it twice is harmless. */
	static final class Permit {

		private final Permits permits;

		private final AtomicBoolean released = new AtomicBoolean();

		Permit(Permits permits) {
			this.permits = permits;
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				this.permits.available.incrementAndGet();
				this.permits.drain();
			}
		}

	}

	/** A content that gives its permit back when it is consumed, cancelled or released. */
	private static final class PermittedContent extends ForwardingContent {

		private final Permit permit;

		PermittedContent(ObjectContent delegate, Permit permit) {
			super(delegate);
			this.permit = permit;
		}

		@Override
		protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
			return body.doFinally((signal) -> this.permit.release());
		}

		@Override
		protected Mono<Void> transfer(FileSender sender) {
			return this.delegate.transferTo(sender).doFinally((signal) -> this.permit.release());
		}

		@Override
		protected void released() {
			this.permit.release();
		}

	}

	private static final class Limited extends ForwardingBackend {

		private final Permits permits;

		Limited(StorageBackend delegate, Permits permits) {
			super(delegate);
			this.permits = permits;
		}

		private <T> Mono<T> limit(Supplier<Mono<T>> operation) {
			return Mono.usingWhen(this.permits.acquire(), (permit) -> operation.get(), this::release,
					(permit, error) -> release(permit), this::release);
		}

		private <T> Flux<T> limitMany(Supplier<Flux<T>> operation) {
			return Flux.usingWhen(this.permits.acquire(), (permit) -> operation.get(), this::release,
					(permit, error) -> release(permit), this::release);
		}

		private Mono<Void> release(Permit permit) {
			return Mono.fromRunnable(permit::release);
		}

		/**
		 * A read holds its permit from {@code open} until its body or transfer ends, is cancelled, or
		 * the content is released unread.
		 */
		@Override
		public Mono<ObjectContent> open(String path, ReadOptions options) {
			return this.permits.acquire().flatMap((permit) -> {
				AtomicBoolean delivered = new AtomicBoolean();
				return super.open(path, options).<ObjectContent>map((content) -> {
					delivered.set(true);
					return new PermittedContent(content, permit);
				}).doOnError((ex) -> permit.release()).doOnCancel(() -> {
					if (!delivered.get()) {
						permit.release();
					}
				});
			});
		}

		@Override
		public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
			return limit(() -> super.write(path, content, options));
		}

		@Override
		public Mono<ObjectMetadata> stat(String path) {
			return limit(() -> super.stat(path));
		}

		@Override
		public Mono<Void> delete(String path) {
			return limit(() -> super.delete(path));
		}

		@Override
		public Mono<Void> deleteAll(Flux<String> paths) {
			return limit(() -> super.deleteAll(paths));
		}

		@Override
		public Flux<ObjectEntry> list(String prefix, ListOptions options) {
			return limitMany(() -> super.list(prefix, options));
		}

		@Override
		public Mono<Void> copy(String source, String target) {
			return limit(() -> super.copy(source, target));
		}

		@Override
		public Mono<Void> rename(String source, String target) {
			return limit(() -> super.rename(source, target));
		}

	}

}
