package dev.objectstorage.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.layer.MetricsHistory;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.MetricsRecorder;
import dev.objectstorage.layer.OperationMetrics;
import org.jspecify.annotations.Nullable;

/**
 * What every storage the starter built measured, by storage name: the one route from a storage to
 * its metrics. {@link ObjectStorageFactory} takes the metrics layer of each storage from here (the
 * layer records into its own figures and into the storage's {@link StorageMetricsRecorders}, such
 * as Micrometer meters, and the storage's retry layer reports its retries to it); the Actuator
 * endpoint reads the figures by the storage's name. Nothing looks a layer up in a storage.
 */
public class StorageMetricsRegistry {

	private final StorageMetricsRecorders recorders;

	private final Map<String, MetricsLayer> layers = new ConcurrentHashMap<>();

	/**
	 * A registry whose storages record only into their own figures.
	 */
	public StorageMetricsRegistry() {
		this((storageName) -> List.of());
	}

	/**
	 * A registry whose storages also record into recorders of their own.
	 * @param recorders supplies the recorders of each storage
	 */
	public StorageMetricsRegistry(StorageMetricsRecorders recorders) {
		this.recorders = recorders;
	}

	/**
	 * Makes the metrics layer of a storage and keeps its figures under the storage's name (the
	 * figures of an earlier storage of that name are replaced).
	 * @param storageName the storage's name
	 * @return the layer
	 */
	MetricsLayer create(String storageName) {
		MetricsLayer layer = new MetricsLayer(this.recorders.create(storageName).toArray(new MetricsRecorder[0]));
		this.layers.put(storageName, layer);
		return layer;
	}

	/**
	 * A snapshot of every operation's figures of a storage.
	 * @param storageName the storage's name
	 * @return one snapshot per operation, or {@code null} if the storage is not measured (metrics
	 * disabled, or not built by the starter)
	 */
	public @Nullable List<OperationMetrics.Snapshot> operations(String storageName) {
		MetricsLayer layer = this.layers.get(storageName);
		return (layer != null) ? layer.metrics() : null;
	}

	/**
	 * A storage's recent past, second by second (see {@link MetricsLayer#history()}).
	 * @param storageName the storage's name
	 * @return a copy of the history, or {@code null} if the storage is not measured
	 */
	public MetricsHistory.@Nullable Snapshot history(String storageName) {
		MetricsLayer layer = this.layers.get(storageName);
		return (layer != null) ? layer.history() : null;
	}

}
