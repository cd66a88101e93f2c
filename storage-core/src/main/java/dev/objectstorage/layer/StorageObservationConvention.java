package dev.objectstorage.layer;

import java.util.Locale;

import dev.objectstorage.ErrorKind;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and keys of a storage operation's {@link io.micrometer.observation.Observation}.
 * <p>
 * {@link #DEFAULT}: name {@value #NAME} (its span is named {@code storage <operation>}, such as
 * {@code storage read}); low-cardinality keys {@code storage} (the storage's name),
 * {@code operation} ({@code read}, {@code write}, {@code delete-all}, ...), {@code outcome}
 * ({@code success}, {@code error} or {@code cancelled}) and {@code kind} (the error kind in the
 * same style, such as {@code not-found}, or {@code none}); the high-cardinality key {@code path}
 * only where the layer is told to include paths. Implement this interface (or extend
 * {@link Default}) to name them otherwise.
 */
public interface StorageObservationConvention extends ObservationConvention<StorageObservationContext> {

	/** The observation's name (Micrometer's meter handler records a timer of that name too). */
	String NAME = "storage.operation";

	/** The keys and names described above. */
	StorageObservationConvention DEFAULT = new Default();

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof StorageObservationContext;
	}

	/** The default convention; extend it to add or change keys. */
	class Default implements StorageObservationConvention {

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public String getContextualName(StorageObservationContext context) {
			return "storage " + TagValues.of(context.getOperation().id());
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(StorageObservationContext context) {
			StorageObservationContext.Outcome outcome = context.getOutcome();
			ErrorKind kind = context.getErrorKind();
			return KeyValues.of(KeyValue.of("storage", context.getStorage()),
					KeyValue.of("operation", TagValues.of(context.getOperation().id())),
					KeyValue.of("outcome", (outcome != null) ? outcome.name().toLowerCase(Locale.ROOT) : "unknown"),
					KeyValue.of("kind", (kind != null) ? TagValues.of(MetricsLayer.outcome(kind))
							: "none"));
		}

		@Override
		public KeyValues getHighCardinalityKeyValues(StorageObservationContext context) {
			String path = context.getPath();
			return (path != null) ? KeyValues.of(KeyValue.of("path", path)) : KeyValues.empty();
		}

	}

}
