package dev.objectstorage.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.autoconfigure.StorageMetricsRegistry;
import dev.objectstorage.layer.MetricsHistory;
import dev.objectstorage.layer.OperationMetrics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code storage} Actuator endpoint: every storage with its scheme, location (never a secret),
 * capabilities and, per operation, counts, errors by kind, bytes, throughput and latency.
 * {@code /actuator/storage/{name}} shows one storage; an unknown name gives 404.
 * {@code /actuator/storage/{name}/history} shows its recent past second by second (see
 * {@link HistoryDescriptor}).
 */
@Endpoint(id = "storage")
public class StorageEndpoint {

	private static final String HISTORY = "history";

	private final List<ObjectStorage> storages;

	private final StorageMetricsRegistry metrics;

	public StorageEndpoint(List<ObjectStorage> storages, StorageMetricsRegistry metrics) {
		this.storages = storages;
		this.metrics = metrics;
	}

	/**
	 * Every storage.
	 * @return the storages by name
	 */
	@ReadOperation
	public StoragesDescriptor storages() {
		Map<String, StorageDescriptor> result = new LinkedHashMap<>();
		for (ObjectStorage storage : this.storages) {
			result.put(storage.name(), describe(storage));
		}
		return new StoragesDescriptor(result);
	}

	/**
	 * One storage.
	 * @param name the storage's name
	 * @return the storage, or {@code null} (404) if there is none of that name
	 */
	@ReadOperation
	public @Nullable StorageDescriptor storage(@Selector String name) {
		for (ObjectStorage storage : this.storages) {
			if (storage.name().equals(name)) {
				return describe(storage);
			}
		}
		return null;
	}

	/**
	 * One storage's recent past, second by second: {@code /actuator/storage/{name}/history}.
	 * @param name the storage's name
	 * @param view {@code history} (any other word gives 404)
	 * @return the history, or {@code null} (404) if there is no storage of that name
	 */
	@ReadOperation
	public @Nullable HistoryDescriptor storageHistory(@Selector String name, @Selector String view) {
		if (!HISTORY.equals(view)) {
			return null;
		}
		for (ObjectStorage storage : this.storages) {
			if (storage.name().equals(name)) {
				return HistoryDescriptor.of(name, this.metrics.history(name));
			}
		}
		return null;
	}

	private StorageDescriptor describe(ObjectStorage storage) {
		List<OperationMetrics.Snapshot> snapshots = this.metrics.operations(storage.name());
		Map<String, OperationDescriptor> operations = new LinkedHashMap<>();
		long bytesRead = 0;
		long bytesWritten = 0;
		long count = 0;
		long errors = 0;
		double readLastMinute = 0;
		double writeLastMinute = 0;
		if (snapshots != null) {
			for (OperationMetrics.Snapshot snapshot : snapshots) {
				operations.put(snapshot.operation().id(), OperationDescriptor.of(snapshot));
				count += snapshot.count();
				errors += snapshot.errorCount();
				if (snapshot.operation() == Operation.READ) {
					bytesRead = snapshot.bytes();
					readLastMinute = snapshot.bytesPerSecondLastMinute();
				}
				else if (snapshot.operation() == Operation.WRITE) {
					bytesWritten = snapshot.bytes();
					writeLastMinute = snapshot.bytesPerSecondLastMinute();
				}
			}
		}
		return new StorageDescriptor(storage.name(), storage.scheme(), storage.location(), storage.capabilities().asMap(),
				snapshots != null, new Totals(count, errors, bytesRead, bytesWritten, readLastMinute, writeLastMinute),
				operations);
	}

	/**
	 * Every storage, by name.
	 *
	 * @param storages the storages
	 */
	public record StoragesDescriptor(Map<String, StorageDescriptor> storages) {
	}

	/**
	 * One storage.
	 *
	 * @param name its name
	 * @param scheme its backend's scheme
	 * @param location where its data lives (never a secret)
	 * @param capabilities what its backend supports, by capability name
	 * @param metricsEnabled whether operations are measured (false when the metrics layer is off)
	 * @param totals all operations together
	 * @param operations the figures per operation
	 */
	public record StorageDescriptor(String name, String scheme, String location, Map<String, Boolean> capabilities,
			boolean metricsEnabled, Totals totals, Map<String, OperationDescriptor> operations) {
	}

	/**
	 * All operations of a storage together.
	 *
	 * @param operations operations that ended
	 * @param errors operations that failed
	 * @param bytesRead bytes read
	 * @param bytesWritten bytes written
	 * @param readBytesPerSecond read throughput over the last minute
	 * @param writeBytesPerSecond write throughput over the last minute
	 */
	public record Totals(long operations, long errors, long bytesRead, long bytesWritten, double readBytesPerSecond,
			double writeBytesPerSecond) {
	}

	/**
	 * The figures of one operation.
	 *
	 * @param count operations that ended
	 * @param successes operations that succeeded
	 * @param errors failed operations by error kind
	 * @param retries attempts that failed with a temporary error and were retried, by error kind
	 * @param cancellations operations cancelled by their subscriber
	 * @param bytes bytes transferred (reads and writes)
	 * @param throughput bytes per second ({@code bytesPerSecondLastMinute}, {@code bytesPerSecondSinceStart})
	 * @param latency latency percentiles in milliseconds ({@code p50Millis}, {@code p95Millis},
	 * {@code p99Millis})
	 */
	public record OperationDescriptor(long count, long successes, Map<ErrorKind, Long> errors,
			Map<ErrorKind, Long> retries, long cancellations,
			long bytes, Throughput throughput, Latency latency) {

		static OperationDescriptor of(OperationMetrics.Snapshot snapshot) {
			return new OperationDescriptor(snapshot.count(), snapshot.successes(), snapshot.errors(),
					snapshot.retries(), snapshot.cancellations(), snapshot.bytes(),
					new Throughput(snapshot.bytesPerSecondLastMinute(), snapshot.bytesPerSecondSinceStart()),
					new Latency(snapshot.p50Millis(), snapshot.p95Millis(), snapshot.p99Millis()));
		}

	}

	/**
	 * Throughput in bytes per second; each field names its unit.
	 *
	 * @param bytesPerSecondLastMinute bytes per second over the last minute (or since start, if
	 * shorter)
	 * @param bytesPerSecondSinceStart bytes per second since the storage was created
	 */
	public record Throughput(double bytesPerSecondLastMinute, double bytesPerSecondSinceStart) {
	}

	/**
	 * Latency percentiles in milliseconds, over roughly the last one to two minutes; each field
	 * names its unit.
	 *
	 * @param p50Millis the median, in milliseconds
	 * @param p95Millis the 95th percentile, in milliseconds
	 * @param p99Millis the 99th percentile, in milliseconds
	 */
	public record Latency(double p50Millis, double p95Millis, double p99Millis) {
	}


	/**
	 * A storage's recent past: what a chart of its throughput draws. Every figure names its unit.
	 *
	 * @param name the storage's name
	 * @param metricsEnabled whether operations are measured (when not, the series are empty)
	 * @param perSecond bytes, operations and errors in each of the last
	 * {@value MetricsHistory#SECONDS} complete seconds
	 * @param latency latency percentiles of each of the last {@value MetricsHistory#LATENCY_INTERVALS}
	 * complete {@value MetricsHistory#LATENCY_INTERVAL_SECONDS}-second intervals
	 */
	public record HistoryDescriptor(String name, boolean metricsEnabled, PerSecond perSecond, LatencyHistory latency) {

		static HistoryDescriptor of(String name, MetricsHistory.@Nullable Snapshot history) {
			if (history == null) {
				long[] none = new long[0];
				long now = System.currentTimeMillis();
				now -= now % 1000;
				return new HistoryDescriptor(name, false,
						new PerSecond(1, Instant.ofEpochMilli(now).toString(), now, none, none, none, none),
						new LatencyHistory(MetricsHistory.LATENCY_INTERVAL_SECONDS, Instant.ofEpochMilli(now).toString(),
								now, none, new double[0], new double[0]));
			}
			return new HistoryDescriptor(name, true,
					new PerSecond(1, Instant.ofEpochMilli(history.startEpochMillis()).toString(),
							history.startEpochMillis(), history.readBytes(), history.writtenBytes(),
							history.operations(), history.errors()),
					new LatencyHistory(MetricsHistory.LATENCY_INTERVAL_SECONDS,
							Instant.ofEpochMilli(history.latencyStartEpochMillis()).toString(),
							history.latencyStartEpochMillis(), history.latencyOperations(), history.p50Millis(),
							history.p99Millis()));
		}

	}

	/**
	 * Per-second series, oldest first: element {@code i} covers the second that began
	 * {@code i} seconds after {@code start}. The second under way is not shown until it ends.
	 *
	 * @param intervalSeconds the length of each interval: 1
	 * @param start when the first second began (ISO-8601)
	 * @param startEpochMillis the same, in milliseconds since the epoch
	 * @param readBytesPerSecond bytes read in each second
	 * @param writtenBytesPerSecond bytes written in each second
	 * @param operationsPerSecond operations that ended in each second (however they ended)
	 * @param errorsPerSecond operations that failed in each second
	 */
	public record PerSecond(int intervalSeconds, String start, long startEpochMillis, long[] readBytesPerSecond,
			long[] writtenBytesPerSecond, long[] operationsPerSecond, long[] errorsPerSecond) {
	}

	/**
	 * Latency per interval, oldest first, over every operation that ended in it (0 where none
	 * did). The figures are upper bounds of histogram buckets about 12% wide.
	 *
	 * @param intervalSeconds the length of each interval, in seconds
	 * @param start when the first interval began (ISO-8601)
	 * @param startEpochMillis the same, in milliseconds since the epoch
	 * @param operations operations that ended in each interval
	 * @param p50Millis the median latency of each interval, in milliseconds
	 * @param p99Millis the 99th percentile latency of each interval, in milliseconds
	 */
	public record LatencyHistory(int intervalSeconds, String start, long startEpochMillis, long[] operations,
			double[] p50Millis, double[] p99Millis) {
	}

}
