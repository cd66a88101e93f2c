package dev.objectstorage.layer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;

/**
 * The live figures of one operation of one storage: counts, errors by kind, bytes, a throughput
 * window of the last minute and a latency histogram. Every update is a few uncontended atomic
 * additions, cheap enough for the hottest path. Hand-written because what is needed (exact integer
 * counts plus windowed throughput, readable back at any time) is what monitoring registries do not
 * promise: a step registry's counters, for one, report per-step values.
 */
public final class OperationMetrics {

	private static final int WINDOW_SECONDS = 60;

	private final Operation operation;

	private final long startNanos = System.nanoTime();

	private final LongAdder count = new LongAdder();

	private final LongAdder successes = new LongAdder();

	private final LongAdder cancellations = new LongAdder();

	private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);

	private final Map<ErrorKind, LongAdder> retries = new EnumMap<>(ErrorKind.class);

	private final LongAdder bytes = new LongAdder();

	/** Bytes per second of the last {@value #WINDOW_SECONDS} seconds, slot = second % 60. */
	private final AtomicLongArray windowBytes = new AtomicLongArray(WINDOW_SECONDS);

	/** The second (since start) each slot of {@link #windowBytes} holds. */
	private final AtomicLongArray windowSecond = new AtomicLongArray(WINDOW_SECONDS);

	private final LatencyHistogram latency = new LatencyHistogram();

	OperationMetrics(Operation operation) {
		this.operation = operation;
		for (ErrorKind kind : ErrorKind.values()) {
			this.errors.put(kind, new LongAdder());
			this.retries.put(kind, new LongAdder());
		}
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			this.windowSecond.set(i, -1);
		}
	}

	void success(long nanos) {
		this.count.increment();
		this.successes.increment();
		this.latency.record(nanos);
	}

	void error(ErrorKind kind, long nanos) {
		this.count.increment();
		this.errors.get(kind).increment();
		this.latency.record(nanos);
	}

	void retried(ErrorKind kind) {
		this.retries.get(kind).increment();
	}

	void cancelled(long nanos) {
		this.count.increment();
		this.cancellations.increment();
		this.latency.record(nanos);
	}

	/**
	 * Bytes went through.
	 * @param n how many
	 * @param now {@link System#nanoTime()}, taken by the caller
	 */
	void bytes(long n, long now) {
		this.bytes.add(n);
		long second = (now - this.startNanos) / 1_000_000_000L;
		int slot = (int) (second % WINDOW_SECONDS);
		long stamp = this.windowSecond.get(slot);
		if (stamp != second) {
			// a new second in this slot: the first thread to see it resets the slot
			if (this.windowSecond.compareAndSet(slot, stamp, second)) {
				this.windowBytes.set(slot, 0);
			}
		}
		this.windowBytes.addAndGet(slot, n);
	}

	/**
	 * A consistent-enough copy of the figures (each value is read once; they are not one atomic snapshot).
	 * @return the snapshot
	 */
	public Snapshot snapshot() {
		long elapsedNanos = Math.max(1, System.nanoTime() - this.startNanos);
		long second = elapsedNanos / 1_000_000_000L;
		long windowTotal = 0;
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			long stamp = this.windowSecond.get(i);
			if (stamp >= 0 && second - stamp < WINDOW_SECONDS) {
				windowTotal += this.windowBytes.get(i);
			}
		}
		double windowSeconds = Math.min(WINDOW_SECONDS, Math.max(1.0, elapsedNanos / 1e9));
		Map<ErrorKind, Long> errorCounts = counts(this.errors);
		Map<ErrorKind, Long> retryCounts = counts(this.retries);
		long total = this.bytes.sum();
		return new Snapshot(this.operation, this.count.sum(), this.successes.sum(), errorCounts, retryCounts,
				this.cancellations.sum(), total, windowTotal / windowSeconds, total / Math.max(elapsedNanos / 1e9, 1e-9),
				this.latency.percentileMillis(0.50), this.latency.percentileMillis(0.95),
				this.latency.percentileMillis(0.99));
	}

	private static Map<ErrorKind, Long> counts(Map<ErrorKind, LongAdder> adders) {
		Map<ErrorKind, Long> counts = new EnumMap<>(ErrorKind.class);
		adders.forEach((kind, adder) -> {
			long n = adder.sum();
			if (n > 0) {
				counts.put(kind, n);
			}
		});
		return counts;
	}

	/**
	 * The figures of one operation.
	 *
	 * @param operation the operation
	 * @param count how many operations ended (succeeded, failed or were cancelled)
	 * @param successes how many succeeded
	 * @param errors how many failed, by kind (kinds that never happened are left out)
	 * @param retries how many attempts failed with a temporary error and were tried again, by kind
	 * @param cancellations how many were cancelled by their subscriber
	 * @param bytes bytes transferred (read for reads, written for writes)
	 * @param bytesPerSecondLastMinute throughput over the last minute (or since start, if shorter)
	 * @param bytesPerSecondSinceStart throughput since the storage was created
	 * @param p50Millis median latency in milliseconds over roughly the last one to two minutes
	 * @param p95Millis 95th percentile latency in milliseconds
	 * @param p99Millis 99th percentile latency in milliseconds
	 */
	public record Snapshot(Operation operation, long count, long successes, Map<ErrorKind, Long> errors,
			Map<ErrorKind, Long> retries, long cancellations, long bytes, double bytesPerSecondLastMinute, double bytesPerSecondSinceStart,
			double p50Millis, double p95Millis, double p99Millis) {

		/**
		 * How many failed, all kinds together.
		 * @return the count of errors
		 */
		public long errorCount() {
			return this.errors.values().stream().mapToLong(Long::longValue).sum();
		}

	}

	/**
	 * Latencies in logarithmic buckets (8 per power of two, so about 9% wide) from 1 µs to about 19
	 * hours; two generations of a minute each, so percentiles cover the last one to two minutes.
	 */
	static final class LatencyHistogram {

		private static final int SUB_BUCKETS = 8;

		static final int BUCKETS = 37 * SUB_BUCKETS;

		private static final long GENERATION_NANOS = 60_000_000_000L;

		private volatile AtomicLongArray current = new AtomicLongArray(BUCKETS);

		private volatile AtomicLongArray previous = new AtomicLongArray(BUCKETS);

		private volatile long generationStart = System.nanoTime();

		void record(long nanos) {
			rotateIfDue();
			this.current.incrementAndGet(bucket(nanos));
		}

		private void rotateIfDue() {
			long start = this.generationStart;
			if (System.nanoTime() - start > GENERATION_NANOS) {
				synchronized (this) {
					if (this.generationStart == start) {
						this.previous = this.current;
						this.current = new AtomicLongArray(BUCKETS);
						this.generationStart = System.nanoTime();
					}
				}
			}
		}

		static int bucket(long nanos) {
			long micros = Math.max(1, nanos / 1000);
			int power = 63 - Long.numberOfLeadingZeros(micros); // floor(log2)
			int sub = (power >= 3) ? (int) ((micros >>> (power - 3)) & (SUB_BUCKETS - 1))
					: (int) ((micros << (3 - power)) & (SUB_BUCKETS - 1));
			return Math.min(BUCKETS - 1, power * SUB_BUCKETS + sub);
		}

		/** The upper bound of a bucket, in microseconds. */
		static double upperMicros(int bucket) {
			int power = bucket / SUB_BUCKETS;
			int sub = bucket % SUB_BUCKETS;
			return Math.pow(2, power) * (1 + (sub + 1) / (double) SUB_BUCKETS);
		}

		double percentileMillis(double quantile) {
			rotateIfDue();
			AtomicLongArray a = this.current;
			AtomicLongArray b = this.previous;
			long total = 0;
			long[] merged = new long[BUCKETS];
			for (int i = 0; i < BUCKETS; i++) {
				merged[i] = a.get(i) + b.get(i);
				total += merged[i];
			}
			return percentileMillis(merged, total, quantile);
		}

		/**
		 * A percentile of counts in these buckets.
		 * @param counts the count of each bucket
		 * @param total the sum of the counts
		 * @param quantile the percentile as a fraction, such as 0.99
		 * @return the upper bound of the bucket holding it, in milliseconds; 0 if there are no counts
		 */
		static double percentileMillis(long[] counts, long total, double quantile) {
			if (total == 0) {
				return 0;
			}
			long rank = (long) Math.ceil(quantile * total);
			long seen = 0;
			for (int i = 0; i < BUCKETS; i++) {
				seen += counts[i];
				if (seen >= rank) {
					return upperMicros(i) / 1000.0;
				}
			}
			return upperMicros(BUCKETS - 1) / 1000.0;
		}

	}

}
