package dev.objectstorage.layer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Bounds how long an operation may take: single-result
 * operations and the opening of a read get a deadline; streams (listings, the body of a read, and
 * the content of writes) get a deadline for their first element and an idle timeout for every gap
 * after that, so a large transfer that keeps moving is never cut off. A write's deadline starts when its content is complete (the content may
 * pause while the backend uploads, and a slow producer is not the storage's fault). A timeout cancels the operation and fails it with a temporary
 * {@link ErrorKind#TIMEOUT} error (which a {@link RetryLayer} outside this one may retry). Deadlines
 * are checked by one periodic task (see {@link Deadlines}: Reactor's {@code timeout} operators
 * schedule a timer per element, which costs more than a small read), so a timeout fires up to a
 * tenth of the shortest timeout late; one {@link Watchdog} subscriber per subscription ends an
 * operation whose deadline passed.
 */
public final class TimeoutLayer implements Layer {

	private final TimeoutSettings settings;

	public TimeoutLayer(TimeoutSettings settings) {
		this.settings = settings;
	}

	/**
	 * Settings of a {@link TimeoutLayer}. A timeout that is not positive fails with an
	 * {@link InvalidSettingException} that names it.
	 *
	 * @param operation the longest a single-result operation (stat, delete, copy, rename, the
	 * completion of a write after its content ended), or the first element of a stream, may take
	 * @param idle the longest gap between two elements of a read or a listing
	 */
	public record TimeoutSettings(Duration operation, Duration idle) {

		public TimeoutSettings {
			if (operation == null || operation.isNegative() || operation.isZero()) {
				throw new InvalidSettingException("TimeoutLayer", "operation", "must be positive, was " + operation);
			}
			if (idle == null || idle.isNegative() || idle.isZero()) {
				throw new InvalidSettingException("TimeoutLayer", "idle", "must be positive, was " + idle);
			}
		}

		/**
		 * 30 s per operation, 30 s of idleness in a stream.
		 * @return the defaults
		 */
		public static TimeoutSettings defaults() {
			return new TimeoutSettings(Duration.ofSeconds(30), Duration.ofSeconds(30));
		}

	}

	@Override
	public StorageBackend apply(StorageBackend backend) {
		return new Timing(backend, this.settings);
	}

	private static final class Timing extends ForwardingBackend {

		private final TimeoutSettings settings;

		private final Deadlines deadlines;

		Timing(StorageBackend delegate, TimeoutSettings settings) {
			super(delegate);
			this.settings = settings;
			this.deadlines = new Deadlines(
					(settings.operation().compareTo(settings.idle()) < 0) ? settings.operation() : settings.idle());
		}

		/** A single-result operation must end within the operation timeout. */
		private <T> Mono<T> deadline(Mono<T> mono, String what) {
			return new WatchedMono<>(mono, Watchdog.Mode.SINGLE, this::startDeadline,
					() -> timeout(what + " took longer than " + this.settings.operation()), Function.identity(),
					Timing::discardNothing);
		}

		/** A stream must start within the operation timeout and never pause longer than the idle timeout. */
		private <T> Flux<T> idle(Flux<T> flux, String what) {
			return new WatchedFlux<>(flux, this.settings.idle().toNanos(), this::startDeadline,
					() -> timeout(what + " stalled: no data for " + this.settings.idle() + " (or none in the first "
							+ this.settings.operation() + ")"),
					Timing::discardNothing);
		}

		private Deadlines.Deadline startDeadline() {
			return this.deadlines.start(this.settings.operation().toNanos());
		}

		private static void discardNothing(Object value) {
			// values of single-result operations and listings hold no resources
		}

		private static StorageException timeout(String message) {
			return new StorageException(ErrorKind.TIMEOUT, message);
		}

		/**
		 * Opening must end within the operation timeout; the body must then never pause longer than
		 * the idle timeout. One deadline serves both (one registration per read): it is extended by
		 * the idle timeout when the body is subscribed to and with every buffer. A transfer of a local
		 * file is not timed: the receiver sets its pace, and the server that sends it has its own
		 * write timeouts.
		 */
		@Override
		public Mono<ObjectContent> open(String path, ReadOptions options) {
			return new WatchedMono<>(super.open(path, options), Watchdog.Mode.HAND_OVER, this::startDeadline,
					() -> timeout("read of " + path + " took longer than " + this.settings.operation()
							+ " to open, or stalled: no data for " + this.settings.idle()),
					null, ObjectContent::release);
		}

		/** The body of an opened read, under the deadline that timed its opening. */
		private final class TimedContent extends ForwardingContent {

			private final Deadlines.Deadline deadline;

			private final Supplier<? extends Throwable> timeout;

			TimedContent(ObjectContent delegate, Deadlines.Deadline deadline, Supplier<? extends Throwable> timeout) {
				super(delegate);
				this.deadline = deadline;
				this.timeout = timeout;
			}

			@Override
			protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
				long idle = Timing.this.settings.idle().toNanos();
				return new WatchedFlux<>(body, idle, () -> {
					this.deadline.extend(idle);
					return this.deadline;
				}, this.timeout, DataBufferUtils::release);
			}

			@Override
			protected Mono<Void> transfer(FileSender sender) {
				this.deadline.cancel();
				return this.delegate.transferTo(sender);
			}

			@Override
			protected void released() {
				this.deadline.cancel();
			}

		}

		/** A mono under a watchdog; with {@code HAND_OVER} its value (a content) takes the deadline on. */
		private final class WatchedMono<T> extends MonoOperator<T, T> {

			private final Watchdog.Mode mode;

			private final Supplier<Deadlines.Deadline> deadline;

			private final Supplier<? extends Throwable> timeout;

			private final @Nullable Function<T, T> onValue;

			private final Consumer<? super T> discard;

			WatchedMono(Mono<T> source, Watchdog.Mode mode, Supplier<Deadlines.Deadline> deadline,
					Supplier<? extends Throwable> timeout, @Nullable Function<T, T> onValue,
					Consumer<? super T> discard) {
				super(source);
				this.mode = mode;
				this.deadline = deadline;
				this.timeout = timeout;
				this.onValue = onValue;
				this.discard = discard;
			}

			@Override
			@SuppressWarnings("unchecked")
			public void subscribe(CoreSubscriber<? super T> actual) {
				Deadlines.Deadline started = this.deadline.get();
				Function<T, T> onValue = (this.onValue != null) ? this.onValue
						: (value) -> (T) new TimedContent((ObjectContent) value, started, this.timeout);
				this.source.subscribe(
						new Watchdog<>(actual, this.mode, 0, this.timeout, onValue, this.discard).watch(started));
			}

		}

		/** A stream under a watchdog. */
		private static final class WatchedFlux<T> extends FluxOperator<T, T> {

			private final long idleNanos;

			private final Supplier<Deadlines.Deadline> deadline;

			private final Supplier<? extends Throwable> timeout;

			private final Consumer<? super T> discard;

			WatchedFlux(Flux<T> source, long idleNanos, Supplier<Deadlines.Deadline> deadline,
					Supplier<? extends Throwable> timeout, Consumer<? super T> discard) {
				super(source);
				this.idleNanos = idleNanos;
				this.deadline = deadline;
				this.timeout = timeout;
				this.discard = discard;
			}

			@Override
			public void subscribe(CoreSubscriber<? super T> actual) {
				this.source.subscribe(new Watchdog<>(actual, Watchdog.Mode.STREAM, this.idleNanos, this.timeout,
						Function.identity(), this.discard)
					.watch(this.deadline.get()));
			}

		}

		@Override
		public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
			// The content may rightly pause while the backend is busy (an upload part on the wire), and
			// a slow producer is the producer's business: the deadline starts when the content is complete.
			return Mono.defer(() -> {
				Sinks.Empty<ObjectMetadata> expired = Sinks.empty();
				// set on the content's thread, read on the result's: an atomic reference publishes it safely
				AtomicReference<Deadlines.Deadline> deadline = new AtomicReference<>();
				Flux<DataBuffer> tracked = content.doOnComplete(() -> deadline.set(this.deadlines.start(
						this.settings.operation().toNanos(), () -> expired.tryEmitError(timeout("write of " + path
								+ " took longer than " + this.settings.operation() + " to complete")))));
				return super.write(path, tracked, options).or(expired.asMono()).doFinally((signal) -> {
					Deadlines.Deadline started = deadline.get();
					if (started != null) {
						started.cancel();
					}
				});
			});
		}

		@Override
		public Mono<ObjectMetadata> stat(String path) {
			return deadline(super.stat(path), "stat of " + path);
		}

		@Override
		public Mono<Void> delete(String path) {
			return deadline(super.delete(path), "delete of " + path);
		}

		@Override
		public Mono<Void> copy(String source, String target) {
			return deadline(super.copy(source, target), "copy of " + source);
		}

		@Override
		public Mono<Void> rename(String source, String target) {
			return deadline(super.rename(source, target), "rename of " + source);
		}

		@Override
		public Flux<ObjectEntry> list(String prefix, ListOptions options) {
			return idle(super.list(prefix, options), "list of " + prefix);
		}

	}

}
