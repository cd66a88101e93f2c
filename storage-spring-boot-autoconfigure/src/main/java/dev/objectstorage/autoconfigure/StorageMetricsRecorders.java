package dev.objectstorage.autoconfigure;

import java.util.List;

import dev.objectstorage.layer.MetricsRecorder;

/**
 * Supplies the {@link MetricsRecorder}s of a storage's metrics layer (Micrometer meters when
 * Micrometer is present).
 */
@FunctionalInterface
public interface StorageMetricsRecorders {

	/**
	 * The recorders for one storage.
	 * @param storageName the storage's name
	 * @return the recorders
	 */
	List<MetricsRecorder> create(String storageName);

}
