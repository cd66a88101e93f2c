package dev.objectstorage.layer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes a {@link MetricsLayer}'s measurements as Micrometer meters, so that Prometheus and every
 * other registry see the same figures as the Actuator endpoint:
 * <ul>
 * <li>{@code storage.operations}: a timer (base unit seconds, as every Micrometer timer; Prometheus
 * shows {@code storage_operations_seconds}) tagged {@code storage}, {@code operation} and
 * {@code outcome} ({@code success}, {@code cancelled} or the error kind, such as
 * {@code not-found});</li>
 * <li>{@code storage.bytes}: a counter with base unit {@link BaseUnits#BYTES bytes} (Prometheus:
 * {@code storage_bytes_total}) tagged {@code storage}, {@code operation} and {@code direction}
 * ({@code read} or {@code write});</li>
 * <li>{@code storage.retries}: a counter of retried attempts (base unit {@code attempts}) tagged
 * {@code storage}, {@code operation} and {@code kind}.</li>
 * </ul>
 * Meter names and tag keys are lower-case and dot-separated, as Micrometer's naming conventions
 * expect (each registry turns them into its own style). Tag values other than the storage's name
 * are lower-case words joined by hyphens, without dots or underscores: {@code delete-all},
 * {@code presign-read}, {@code condition-not-match} (see {@link #tagValue(String)}); the storage's
 * name is kept as configured. No tag ever holds a path, so the number of series stays small. Needs
 * micrometer-core.
 */
public final class MicrometerMetricsRecorder implements MetricsRecorder {

	/** The timer's name. */
	public static final String OPERATIONS = "storage.operations";

	/** The byte counter's name. */
	public static final String BYTES = "storage.bytes";

	/** The retry counter's name. */
	public static final String RETRIES = "storage.retries";

	private final MeterRegistry registry;

	private final String storage;

	private final Map<Operation, Map<String, Timer>> timers = new EnumMap<>(Operation.class);

	private final Counter bytesRead;

	private final Counter bytesWritten;

	public MicrometerMetricsRecorder(MeterRegistry registry, String storage) {
		this.registry = registry;
		this.storage = storage;
		for (Operation operation : Operation.values()) {
			this.timers.put(operation, new ConcurrentHashMap<>());
		}
		this.bytesRead = Counter.builder(BYTES)
			.description("Bytes read from and written to object storage")
			.baseUnit(BaseUnits.BYTES)
			.tags("storage", storage, "operation", tagValue(Operation.READ.id()), "direction", "read")
			.register(registry);
		this.bytesWritten = Counter.builder(BYTES)
			.description("Bytes read from and written to object storage")
			.baseUnit(BaseUnits.BYTES)
			.tags("storage", storage, "operation", tagValue(Operation.WRITE.id()), "direction", "write")
			.register(registry);
	}

	@Override
	public void operation(Operation operation, String outcome, long nanos) {
		this.timers.get(operation)
			.computeIfAbsent(outcome, (o) -> Timer.builder(OPERATIONS)
				.description("Object storage operations")
				.tags("storage", this.storage, "operation", tagValue(operation.id()), "outcome", tagValue(o))
				.register(this.registry))
			.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
	}

	@Override
	public void retry(Operation operation, dev.objectstorage.ErrorKind kind) {
		Counter.builder(RETRIES)
			.description("Attempts of object storage operations that failed with a temporary error and were retried")
			.baseUnit("attempts")
			.tags("storage", this.storage, "operation", tagValue(operation.id()), "kind",
					tagValue(MetricsLayer.outcome(kind)))
			.register(this.registry)
			.increment();
	}

	/**
	 * A tag value in Micrometer's style: lower case, words joined by hyphens rather than by
	 * underscores, dots or case ({@code deleteAll} and {@code DELETE_ALL} both become
	 * {@code delete-all}).
	 * @param value an operation id, outcome or error kind
	 * @return the tag value
	 */
	public static String tagValue(String value) {
		return TagValues.of(value);
	}

	@Override
	public void bytes(Operation operation, long bytes) {
		((operation == Operation.READ) ? this.bytesRead : this.bytesWritten).increment(bytes);
	}

}
