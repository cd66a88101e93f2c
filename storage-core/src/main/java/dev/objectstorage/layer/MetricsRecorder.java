package dev.objectstorage.layer;

import dev.objectstorage.Operation;

/**
 * Receives what a {@link MetricsLayer} measures, to publish it elsewhere (Micrometer, logs, ...).
 * Called on the hot path: implementations must be cheap and must not block.
 */
public interface MetricsRecorder {

	/**
	 * One operation ended.
	 * @param operation the operation
	 * @param outcome {@code success}, {@code cancelled}, or the {@link dev.objectstorage.ErrorKind}'s
	 * name in lower case
	 * @param nanos how long it took, from subscription to its end
	 */
	void operation(Operation operation, String outcome, long nanos);

	/**
	 * Bytes went through an operation (read for reads, written for writes).
	 * @param operation {@link Operation#READ} or {@link Operation#WRITE}
	 * @param bytes the number of bytes
	 */
	void bytes(Operation operation, long bytes);

	/**
	 * An attempt failed with a temporary error and a retry layer tries it again.
	 * @param operation the operation
	 * @param kind the kind of the attempt's error
	 */
	default void retry(Operation operation, dev.objectstorage.ErrorKind kind) {
	}

}
