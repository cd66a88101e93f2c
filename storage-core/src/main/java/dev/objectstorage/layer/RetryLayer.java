package dev.objectstorage.layer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Retries operations that fail with a {@linkplain StorageException#isTemporary() temporary} error,
 * with exponential backoff and jitter (Reactor's {@link Retry#backoff}). Permanent errors (not found,
 * permission denied, a failed condition, ...) are never retried.
 * <ul>
 * <li>{@code stat}, {@code delete} and {@code copy} are retried as a whole (they are idempotent).</li>
 * <li>{@code list} resumes after the last entry it emitted, so no entry is repeated or lost.</li>
 * <li>{@code read} is retried as long as no byte has been emitted; a read that breaks after emitting
 * bytes resumes from the next byte when the caller pinned the version with {@code ifMatch}, and
 * otherwise fails (so that two versions are never spliced).</li>
 * <li>{@code write}, {@code rename} and {@code deleteAll} are not retried here: their input streams
 * cannot be replayed, and rename is not idempotent. Backends retry what they can inside (the S3
 * backend's SDK retries each part of an upload).</li>
 * </ul>
 */
public final class RetryLayer implements Layer {

	private final RetrySettings settings;

	public RetryLayer(RetrySettings settings) {
		this.settings = settings;
	}

	/**
	 * Settings of a {@link RetryLayer}.
	 *
	 * @param maxAttempts how many times an operation is tried in all (1 means no retry)
	 * @param initialBackoff the delay before the first retry; it doubles with each retry
	 * @param maxBackoff the longest delay between two attempts
	 * @param jitter the share of each delay that is random, between 0 and 1
	 */
	public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

		public RetrySettings {
			if (maxAttempts < 1) {
				throw new StorageException(ErrorKind.CONFIG_INVALID, "maxAttempts must be at least 1, was " + maxAttempts);
			}
			if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null
					|| maxBackoff.compareTo(initialBackoff) < 0) {
				throw new StorageException(ErrorKind.CONFIG_INVALID,
						"backoffs must not be negative, and maxBackoff not below initialBackoff");
			}
			if (jitter < 0 || jitter > 1) {
				throw new StorageException(ErrorKind.CONFIG_INVALID, "jitter must be between 0 and 1, was " + jitter);
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
		return new Retrying(backend, this.settings);
	}

	static boolean isTemporary(Throwable ex) {
		return ex instanceof StorageException se && se.isTemporary();
	}

	private static final class Retrying extends ForwardingBackend {

		private final RetrySettings settings;

		Retrying(StorageBackend delegate, RetrySettings settings) {
			super(delegate);
			this.settings = settings;
		}

		private RetryBackoffSpec retry() {
			return Retry.backoff(this.settings.maxAttempts() - 1, this.settings.initialBackoff())
				.maxBackoff(this.settings.maxBackoff())
				.jitter(this.settings.jitter())
				.filter(RetryLayer::isTemporary)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure());
		}

		@Override
		public Mono<ObjectMetadata> stat(String path) {
			return super.stat(path).retryWhen(retry());
		}

		@Override
		public Mono<Void> delete(String path) {
			return super.delete(path).retryWhen(retry());
		}

		@Override
		public Mono<Void> copy(String source, String target) {
			return super.copy(source, target).retryWhen(retry());
		}

		@Override
		public Flux<ObjectEntry> list(String prefix, ListOptions options) {
			return Flux.defer(() -> {
				AtomicReference<String> last = new AtomicReference<>();
				return Flux.defer(() -> {
					String after = last.get();
					ListOptions resumed = (after != null) ? options.withStartAfter(after) : options;
					return super.list(prefix, resumed);
				}).doOnNext((entry) -> last.set(entry.path())).retryWhen(retry());
			});
		}

		@Override
		public Flux<DataBuffer> read(String path, ReadOptions options) {
			return Flux.defer(() -> {
				AtomicLong emitted = new AtomicLong();
				return Flux.defer(() -> {
					long done = emitted.get();
					if (done == 0) {
						return super.read(path, options);
					}
					long length = (options.length() < 0) ? -1 : options.length() - done;
					return super.read(path, options.withRange(options.offset() + done, length));
				}).doOnNext((buffer) -> emitted.addAndGet(buffer.readableByteCount()))
					.retryWhen(retry().filter((ex) -> isTemporary(ex)
							&& (emitted.get() == 0 || options.ifMatch() != null)));
			});
		}

	}

}
