package dev.objectstorage.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.autoconfigure.StorageMetricsRegistry;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.OperationMetrics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code storage} Actuator endpoint: every storage with its scheme, location (never a secret),
 * capabilities and, per operation, counts, errors by kind, bytes, throughput and latency.
 * {@code /actuator/storage/{name}} shows one storage; an unknown name gives 404.
 */
@Endpoint(id = "storage")
public class StorageEndpoint {

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

	private StorageDescriptor describe(ObjectStorage storage) {
		MetricsLayer layer = this.metrics.get(storage.name());
		Map<String, OperationDescriptor> operations = new LinkedHashMap<>();
		long bytesRead = 0;
		long bytesWritten = 0;
		long count = 0;
		long errors = 0;
		double readLastMinute = 0;
		double writeLastMinute = 0;
		if (layer != null) {
			for (OperationMetrics.Snapshot snapshot : layer.metrics()) {
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
		return new StorageDescriptor(storage.name(), storage.scheme(), storage.location(), storage.capabilities(),
				layer != null, new Totals(count, errors, bytesRead, bytesWritten, readLastMinute, writeLastMinute),
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
	 * @param capabilities what its backend supports
	 * @param metricsEnabled whether operations are measured (false when the metrics layer is off)
	 * @param totals all operations together
	 * @param operations the figures per operation
	 */
	public record StorageDescriptor(String name, String scheme, String location, Capabilities capabilities,
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

}
