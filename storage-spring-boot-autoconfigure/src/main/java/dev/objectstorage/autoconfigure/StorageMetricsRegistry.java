package dev.objectstorage.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.layer.MetricsLayer;
import org.jspecify.annotations.Nullable;

/**
 * The metrics layer of every storage the starter built, by storage name, for the Actuator endpoint.
 */
public class StorageMetricsRegistry {

	private final Map<String, MetricsLayer> layers = new ConcurrentHashMap<>();

	void register(String storageName, MetricsLayer layer) {
		this.layers.put(storageName, layer);
	}

	/**
	 * The metrics layer of a storage.
	 * @param storageName the storage's name
	 * @return the layer, or {@code null} if the storage has none (metrics disabled, or not built by the starter)
	 */
	public @Nullable MetricsLayer get(String storageName) {
		return this.layers.get(storageName);
	}

}
