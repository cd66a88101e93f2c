package dev.objectstorage.layer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Retries operations that fail with a {@linkplain StorageException#isTemporary() temporary} error,
 * with exponential backoff and jitter. Permanent errors (not found,
 * permission denied, a failed condition, ...) are never retried.
 * <ul>
 * <li>{@code stat}, {@code delete} and {@code copy} are retried as a whole (they are idempotent).</li>
 * <li>{@code list} resumes after the last entry it emitted, so no entry is repeated or lost.</li>
 * <li>{@code open} is retried as a whole; a body that breaks midway resumes from the next byte,
 * pinned ({@code ifMatch}) to the version named by the content's metadata; if the object changed
 * meanwhile it fails with {@code CONDITION_NOT_MATCH}, so two versions are never spliced.</li>
 * <li>{@code write}, {@code rename} and {@code deleteAll} are not retried here: their input streams
 * cannot be replayed, and rename is not idempotent. Backends retry what they can inside (the S3
 * backend's SDK retries each part of an upload).</li>
 * </ul>
 */
public final class RetryLayer implements Layer {

	private final RetrySettings settings;

	private final RetryListener listener;

	public RetryLayer(RetrySettings settings) {
		this(settings, (operation, error, attempt) -> {
		});
	}

	/**
	 * A retry layer that tells a listener about every retry (the {@link MetricsLayer} counts them).
	 * @param settings the settings
	 * @param listener told before each retry
	 */
	public RetryLayer(RetrySettings settings, RetryListener listener) {
		this.settings = settings;
		this.listener = listener;
	}

	/**
	 * Told before an operation is tried again.
	 */
	@FunctionalInterface
	public interface RetryListener {

		/**
		 * An attempt failed with a temporary error and the operation will be tried again.
		 * @param operation the operation
		 * @param error the error of the failed attempt
		 * @param attempt the number of the failed attempt (1 for the first)
		 */
		void retrying(Operation operation, StorageException error, int attempt);

	}

	/**
	 * Settings of a {@link RetryLayer}. A value out of range fails with an
	 * {@link InvalidSettingException} that names it.
	 *
	 * @param maxAttempts how many times an operation is tried in all (1 means no retry)
	 * @param initialBackoff the delay before the first retry; it doubles with each retry
	 * @param maxBackoff the longest delay between two attempts
	 * @param jitter the share of each delay that is random, between 0 and 1
	 */
	public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

		private static final String OWNER = "RetryLayer";

		public RetrySettings {
			if (maxAttempts < 1) {
				throw new InvalidSettingException(OWNER, "maxAttempts", "must be at least 1, was " + maxAttempts);
			}
			if (initialBackoff == null || initialBackoff.isNegative()) {
				throw new InvalidSettingException(OWNER, "initialBackoff", "must not be negative, was " + initialBackoff);
			}
			if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
				throw new InvalidSettingException(OWNER, "maxBackoff",
						"must not be below initialBackoff (" + initialBackoff + "), was " + maxBackoff);
			}
			if (jitter < 0 || jitter > 1) {
				throw new InvalidSettingException(OWNER, "jitter", "must be between 0 and 1, was " + jitter);
			}
		}

		/**
		 * Three attempts, 100 ms doubling up to 2 s, half of each delay random.
		 * @return the defaults
		 */
		public static RetrySettings defaults() {
			return new RetrySettings(3, Duration.ofMillis(100), Duration.ofSeconds(2), 0.5);
		}

	}

	@Override
	public StorageBackend apply(StorageBackend backend) {
		return new Retrying(backend, this.settings, this.listener);
	}

	static boolean isTemporary(Throwable ex) {
		return ex instanceof StorageException se && se.isTemporary();
	}

	/**
	 * Retries with Reactor's {@code onErrorResume} and {@code delay} rather than
	 * {@code retryWhen(Retry.backoff(...))}: {@code retryWhen} builds a companion publisher for every
	 * subscription, which measured about 2.5 µs on a 4 KiB file read of about 5 µs, where an
	 * {@code onErrorResume} that never fires costs next to nothing. The backoff is the same:
	 * exponential, capped, with jitter.
	 */
	private static final class Retrying extends ForwardingBackend {

		private final RetrySettings settings;

		private final RetryListener listener;

		Retrying(StorageBackend delegate, RetrySettings settings, RetryListener listener) {
			super(delegate);
			this.settings = settings;
			this.listener = listener;
		}

		/** The delay before the next attempt, after telling the listener. */
		private Mono<Long> pause(Operation operation, Throwable error, int attempt) {
			this.listener.retrying(operation, (StorageException) error, attempt);
			return Mono.delay(backoff(attempt));
		}

		/** The delay before attempt {@code attempt + 1}. */
		private Duration backoff(int attempt) {
			long initial = this.settings.initialBackoff().toNanos();
			long max = this.settings.maxBackoff().toNanos();
			long base = (attempt >= 62 || initial > (max >> Math.min(attempt - 1, 62))) ? max
					: Math.min(max, initial << (attempt - 1));
			double spread = base * this.settings.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
			return Duration.ofNanos(Math.max(0, Math.min(max, base + (long) spread)));
		}

		private boolean retryable(Throwable ex, int attempt) {
			return attempt < this.settings.maxAttempts() && isTemporary(ex);
		}

		private <T> Mono<T> retrying(Operation op, Supplier<Mono<T>> operation, int attempt) {
			return operation.get().onErrorResume((ex) -> retryable(ex, attempt),
					(ex) -> pause(op, ex, attempt).then(Mono.defer(() -> retrying(op, operation, attempt + 1))));
		}

		@Override
		public Mono<ObjectMetadata> stat(String path) {
			return retrying(Operation.STAT, () -> super.stat(path), 1);
		}

		@Override
		public Mono<Void> delete(String path) {
			return retrying(Operation.DELETE, () -> super.delete(path), 1);
		}

		@Override
		public Mono<Void> copy(String source, String target) {
			return retrying(Operation.COPY, () -> super.copy(source, target), 1);
		}

		@Override
		public Flux<ObjectEntry> list(String prefix, ListOptions options) {
			return Flux.defer(() -> listAttempt(prefix, options, new AtomicReference<>(), 1));
		}

		private Flux<ObjectEntry> listAttempt(String prefix, ListOptions options, AtomicReference<String> last,
				int attempt) {
			String after = last.get();
			ListOptions resumed = (after != null) ? options.withStartAfter(after) : options;
			return super.list(prefix, resumed).doOnNext((entry) -> last.set(entry.path()))
				.onErrorResume((ex) -> retryable(ex, attempt), (ex) -> pause(Operation.LIST, ex, attempt)
					.thenMany(Flux.defer(() -> listAttempt(prefix, options, last, attempt + 1))));
		}

		/**
		 * Opening is retried as a whole. A body that breaks with a temporary error resumes: the
		 * object is opened again from the next byte, pinned with {@code ifMatch} to the version the
		 * content's metadata names, so two versions are never spliced (if that version is gone the
		 * read fails with {@code CONDITION_NOT_MATCH}).
		 */
		@Override
		public Mono<ObjectContent> open(String path, ReadOptions options) {
			return retrying(Operation.READ, () -> super.open(path, options), 1)
				.<ObjectContent>map((content) -> new ResumingContent(content, path, options));
		}

		private final class ResumingContent extends ForwardingContent {

			private final String path;

			private final ReadOptions options;

			ResumingContent(ObjectContent delegate, String path, ReadOptions options) {
				super(delegate);
				this.path = path;
				this.options = options;
			}

			@Override
			protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
				long[] emitted = new long[1];
				return attempt(body, emitted, 1);
			}

			private Flux<DataBuffer> attempt(Flux<DataBuffer> body, long[] emitted, int attempt) {
				return body.doOnNext((buffer) -> emitted[0] += buffer.readableByteCount())
					.onErrorResume((ex) -> retryable(ex, attempt), (ex) -> pause(Operation.READ, ex, attempt)
						.thenMany(Flux.defer(() -> attempt(resume(emitted[0]), emitted, attempt + 1))));
			}

			/** The rest of the body, from the same version, in buffers of the size the caller asked for. */
			private Flux<DataBuffer> resume(long done) {
				long rest = length() - done;
				if (rest <= 0) {
					return Flux.empty();
				}
				ReadOptions resumed = this.options.withRange(offset() + done, rest)
					.withIfMatch(metadata().etag())
					.withIfNoneMatch(null);
				return Retrying.super.open(this.path, resumed).flatMapMany(ObjectContent::body);
			}

		}

	}

}
