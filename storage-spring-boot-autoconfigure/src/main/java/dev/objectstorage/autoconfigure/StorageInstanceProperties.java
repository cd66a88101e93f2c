package dev.objectstorage.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one storage: its type and its layers. The single storage is configured under
 * {@code storage.*}, named ones under {@code storage.instances.<name>.*}. The settings of its type
 * ({@code storage.<type>.*}) are not here: each backend's package has their class, which its
 * backend factory binds (see {@link StorageDefinition#bind(String, Class)}).
 */
public class StorageInstanceProperties {

	/**
	 * Type of storage: the backend that holds its objects. A type whose module is not on the
	 * class path fails the start with the module to add.
	 */
	private @Nullable String type;

	/**
	 * Retries of operations that fail with a temporary error.
	 */
	private final Retry retry = new Retry();

	/**
	 * Timeouts of operations and of gaps in streams.
	 */
	private final Timeout timeout = new Timeout();

	/**
	 * Limit on the operations that run at once.
	 */
	private final ConcurrencyLimit concurrencyLimit = new ConcurrencyLimit();

	/**
	 * Metrics of operations, bytes and throughput (shown by the 'storage' Actuator endpoint).
	 */
	private final Metrics metrics = new Metrics();

	private final Observations observations = new Observations();

	public @Nullable String getType() {
		return this.type;
	}

	public void setType(@Nullable String type) {
		this.type = type;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Timeout getTimeout() {
		return this.timeout;
	}

	public ConcurrencyLimit getConcurrencyLimit() {
		return this.concurrencyLimit;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Retries of operations that fail with a temporary error.
	 */
	public static class Retry {

		/**
		 * Whether to retry operations that fail with a temporary error (throttling, timeouts, server
		 * errors). Writes, renames and batch deletes are never retried as a whole.
		 */
		private boolean enabled = true;

		/**
		 * How many times an operation is tried in all.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the first retry; it doubles with each retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * Timeouts of operations and of gaps in streams.
	 */
	public static class Timeout {

		/**
		 * Whether to apply timeouts.
		 */
		private boolean enabled = true;

		/**
		 * Longest time a single operation (stat, delete, copy, the completion of a write), or the
		 * first buffer of a read, may take.
		 */
		private Duration operation = Duration.ofSeconds(30);

		/**
		 * Longest gap between two buffers of a read or two entries of a listing.
		 */
		private Duration idle = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getOperation() {
			return this.operation;
		}

		public void setOperation(Duration operation) {
			this.operation = operation;
		}

		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

	}

	/**
	 * Limit on the operations that run at once.
	 */
	public static class ConcurrencyLimit {

		/**
		 * Maximum number of operations running at once on this storage; further ones wait, without
		 * blocking a thread. Not set for no limit.
		 */
		private @Nullable Integer maxConcurrent;

		public @Nullable Integer getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

	}

	/**
	 * Metrics of operations, bytes and throughput.
	 */
	public static class Metrics {

		/**
		 * Whether to measure operations, errors, bytes and latency (for the 'storage' endpoint and
		 * the 'storage.operations' and 'storage.bytes' meters).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Micrometer observations of operations (spans, with Spring Boot's tracing).
	 */
	public static class Observations {

		/**
		 * Whether to make every operation a Micrometer observation named 'storage.operation' (a span
		 * in the caller's trace where tracing is set up), when an ObservationRegistry bean exists.
		 */
		private boolean enabled = true;

		/**
		 * Whether observations carry the object's path as a high-cardinality key (a span attribute,
		 * never a metric tag). Paths may be personal data: off by default.
		 */
		private boolean includePath = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isIncludePath() {
			return this.includePath;
		}

		public void setIncludePath(boolean includePath) {
			this.includePath = includePath;
		}

	}

}
