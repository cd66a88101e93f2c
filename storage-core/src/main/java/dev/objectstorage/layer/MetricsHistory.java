package dev.objectstorage.layer;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A storage's recent past, second by second: bytes read and written, operations and errors in
 * each of the last {@value #SECONDS} complete seconds, and latency percentiles of each of the last
 * {@value #LATENCY_INTERVALS} complete {@value #LATENCY_INTERVAL_SECONDS}-second intervals.
 * <p>
 * Fixed memory whatever the load (about 20 KB: a ring of per-second totals and a latency
 * histogram), nothing allocated per byte or per operation. Events only add to running totals
 * ({@link LongAdder}s and a cumulative histogram); once a second the totals are written down by
 * whichever thread first sees the second change (or by a reader), so a second's figure is the
 * difference between two such samples. No event is ever lost: an event that races the sample of
 * its second is counted in the neighbouring second. Hand-written: Micrometer keeps only the
 * current step of a counter, and a history has to be readable back at any time.
 * <p>
 * Seconds are aligned with the wall clock's seconds (the series says when it starts), and measured
 * with a monotonic clock, so a change of the system time does not bend the series.
 */
public final class MetricsHistory {

	/** How many complete seconds the history keeps. */
	public static final int SECONDS = 300;

	/** The length of a latency interval, in seconds. */
	public static final int LATENCY_INTERVAL_SECONDS = 10;

	/** How many complete latency intervals the history keeps. */
	public static final int LATENCY_INTERVALS = SECONDS / LATENCY_INTERVAL_SECONDS;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	/** One more slot than seconds kept: a second's figure is its sample minus the one before. */
	private static final int RING = SECONDS + 1;

	private static final int READ = 0;

	private static final int WRITTEN = 1;

	private static final int OPERATIONS = 2;

	private static final int ERRORS = 3;

	private static final int SERIES = 4;

	private final LongSupplier nanoClock;

	/** {@link #nanoClock} at the start of second 0. */
	private final long originNanos;

	/** The wall-clock time of the start of second 0, in milliseconds since the epoch. */
	private final long originEpochMillis;

	private final LongAdder[] totals = new LongAdder[SERIES];

	/** The running totals at the end of each second, slot = second % {@link #RING}. */
	private final long[][] samples = new long[SERIES][RING];

	/** The last second whose end is sampled ({@code -1}: none yet). */
	private volatile long sampledThrough = -1;

	/** Latencies of every operation since the start, in {@link OperationMetrics.LatencyHistogram}'s buckets. */
	private final AtomicLongArray latency = new AtomicLongArray(OperationMetrics.LatencyHistogram.BUCKETS);

	/** {@link #latency} at the end of the last sampled interval. */
	private final long[] latencyAtLastInterval = new long[OperationMetrics.LatencyHistogram.BUCKETS];

	/** The last latency interval whose end is sampled ({@code -1}: none yet). */
	private long latencySampledThrough = -1;

	/** Per interval (slot = interval % {@link #LATENCY_INTERVALS}): operations ended, p50 and p99. */
	private final long[] intervalOperations = new long[LATENCY_INTERVALS];

	private final double[] intervalP50 = new double[LATENCY_INTERVALS];

	private final double[] intervalP99 = new double[LATENCY_INTERVALS];

	private final ReentrantLock sampling = new ReentrantLock();

	/**
	 * A history on the system's clocks.
	 */
	public MetricsHistory() {
		this(System::nanoTime, System.currentTimeMillis());
	}

	/**
	 * A history on the given clocks (tests move a virtual clock).
	 * @param nanoClock a monotonic clock in nanoseconds, such as {@link System#nanoTime()}
	 * @param nowEpochMillis the wall-clock time now, in milliseconds since the epoch
	 */
	MetricsHistory(LongSupplier nanoClock, long nowEpochMillis) {
		this.nanoClock = nanoClock;
		long intoSecond = Math.floorMod(nowEpochMillis, 1000L);
		this.originNanos = nanoClock.getAsLong() - intoSecond * 1_000_000L;
		this.originEpochMillis = nowEpochMillis - intoSecond;
		for (int i = 0; i < SERIES; i++) {
			this.totals[i] = new LongAdder();
		}
	}

	/**
	 * The monotonic clock's time now; pass it to the recording methods.
	 * @return the time in nanoseconds
	 */
	long now() {
		return this.nanoClock.getAsLong();
	}

	/**
	 * Bytes were read.
	 * @param bytes how many
	 * @param now {@link #now()}, taken by the caller
	 */
	void read(long bytes, long now) {
		tick(now);
		this.totals[READ].add(bytes);
	}

	/**
	 * Bytes were written.
	 * @param bytes how many
	 * @param now {@link #now()}, taken by the caller
	 */
	void written(long bytes, long now) {
		tick(now);
		this.totals[WRITTEN].add(bytes);
	}

	/**
	 * An operation ended.
	 * @param nanos how long it took
	 * @param failed whether it failed with an error
	 * @param now {@link #now()}, taken by the caller
	 */
	void ended(long nanos, boolean failed, long now) {
		tick(now);
		this.totals[OPERATIONS].increment();
		if (failed) {
			this.totals[ERRORS].increment();
		}
		this.latency.incrementAndGet(OperationMetrics.LatencyHistogram.bucket(nanos));
	}

	private long second(long now) {
		return Math.floorDiv(now - this.originNanos, NANOS_PER_SECOND);
	}

	/** The hot path's share: one volatile read and a comparison, unless the second changed. */
	private void tick(long now) {
		long previous = second(now) - 1;
		if (previous > this.sampledThrough && this.sampling.tryLock()) {
			// a thread that loses the race adds to the totals at once: counted in this second or the one before
			try {
				sampleThrough(previous);
			}
			finally {
				this.sampling.unlock();
			}
		}
	}

	/**
	 * Writes down the running totals as the end of every second up to {@code second} not yet
	 * sampled. What was recorded since the last sample happened in the first of them: an event in a
	 * later second would have sampled the ones before it. Holds {@link #sampling}.
	 */
	private void sampleThrough(long second) {
		long from = this.sampledThrough + 1;
		if (second < from) {
			return;
		}
		long[] now = new long[SERIES];
		for (int i = 0; i < SERIES; i++) {
			now[i] = this.totals[i].sum();
		}
		for (long s = Math.max(from, second - RING + 1); s <= second; s++) {
			int slot = (int) (s % RING);
			for (int i = 0; i < SERIES; i++) {
				this.samples[i][slot] = now[i];
			}
		}
		this.sampledThrough = second;
		long interval = Math.floorDiv(second + 1, LATENCY_INTERVAL_SECONDS) - 1;
		if (interval > this.latencySampledThrough) {
			sampleLatency(interval);
		}
	}

	/**
	 * Ends the latency intervals up to {@code interval}. What was recorded since the last sample
	 * happened in the first of them: an operation in a later one would have ended the ones before.
	 */
	private void sampleLatency(long interval) {
		int buckets = OperationMetrics.LatencyHistogram.BUCKETS;
		long[] delta = new long[buckets];
		long count = 0;
		for (int b = 0; b < buckets; b++) {
			long total = this.latency.get(b);
			delta[b] = total - this.latencyAtLastInterval[b];
			this.latencyAtLastInterval[b] = total;
			count += delta[b];
		}
		long first = this.latencySampledThrough + 1;
		for (long i = Math.max(first, interval - LATENCY_INTERVALS + 1); i <= interval; i++) {
			int slot = (int) (i % LATENCY_INTERVALS);
			boolean holdsThem = (i == first);
			this.intervalOperations[slot] = holdsThem ? count : 0;
			this.intervalP50[slot] = holdsThem ? OperationMetrics.LatencyHistogram.percentileMillis(delta, count, 0.50) : 0;
			this.intervalP99[slot] = holdsThem ? OperationMetrics.LatencyHistogram.percentileMillis(delta, count, 0.99) : 0;
		}
		this.latencySampledThrough = interval;
	}

	/**
	 * The last {@value #SECONDS} complete seconds (fewer right after the start) and the last
	 * {@value #LATENCY_INTERVALS} complete latency intervals, oldest first.
	 * @return a copy
	 */
	public Snapshot snapshot() {
		long now = now();
		long current = second(now);
		this.sampling.lock();
		try {
			sampleThrough(current - 1);
			long last = current - 1; // the last complete second
			int length = (int) Math.max(0, Math.min(SECONDS, last + 1));
			long first = last - length + 1;
			long[][] series = new long[SERIES][length];
			for (int k = 0; k < length; k++) {
				long s = first + k;
				for (int i = 0; i < SERIES; i++) {
					long before = (s == 0) ? 0 : this.samples[i][(int) ((s - 1) % RING)];
					series[i][k] = this.samples[i][(int) (s % RING)] - before;
				}
			}
			long lastInterval = this.latencySampledThrough;
			int intervals = (int) Math.max(0, Math.min(LATENCY_INTERVALS, lastInterval + 1));
			long firstInterval = lastInterval - intervals + 1;
			long[] operations = new long[intervals];
			double[] p50 = new double[intervals];
			double[] p99 = new double[intervals];
			for (int k = 0; k < intervals; k++) {
				int slot = (int) ((firstInterval + k) % LATENCY_INTERVALS);
				operations[k] = this.intervalOperations[slot];
				p50[k] = this.intervalP50[slot];
				p99[k] = this.intervalP99[slot];
			}
			return new Snapshot(this.originEpochMillis + first * 1000, series[READ], series[WRITTEN],
					series[OPERATIONS], series[ERRORS],
					this.originEpochMillis + firstInterval * LATENCY_INTERVAL_SECONDS * 1000, operations, p50, p99);
		}
		finally {
			this.sampling.unlock();
		}
	}

	/**
	 * A storage's recent past. Each array is oldest first; the per-second arrays have one element
	 * per second from {@link #startEpochMillis()}, the latency arrays one per
	 * {@value #LATENCY_INTERVAL_SECONDS}-second interval from {@link #latencyStartEpochMillis()}.
	 *
	 * @param startEpochMillis when the first second of the per-second arrays began
	 * @param readBytes bytes read in each second
	 * @param writtenBytes bytes written in each second
	 * @param operations operations that ended in each second (successes, errors and cancellations)
	 * @param errors operations that failed in each second
	 * @param latencyStartEpochMillis when the first latency interval began
	 * @param latencyOperations operations that ended in each latency interval
	 * @param p50Millis the median latency of each interval's operations, in milliseconds (0 when none
	 * ended)
	 * @param p99Millis the 99th percentile latency of each interval, in milliseconds
	 */
	public record Snapshot(long startEpochMillis, long[] readBytes, long[] writtenBytes, long[] operations,
			long[] errors, long latencyStartEpochMillis, long[] latencyOperations, double[] p50Millis,
			double[] p99Millis) {

		/**
		 * The number of seconds in the per-second arrays.
		 * @return the length of the series
		 */
		public int seconds() {
			return this.readBytes.length;
		}

	}

}
