package dev.objectstorage.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.layer.ConcurrencyLimitLayer;
import dev.objectstorage.layer.Layer;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.layer.TimeoutLayer;
import dev.objectstorage.spi.StorageBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Builds an {@link ObjectStorage} from a {@link StorageDefinition}: the backend from the factory of
 * its type, then the layers, outermost first: observations (where an {@code ObservationRegistry}
 * exists), metrics (from the {@link StorageMetricsRegistry}, which keeps the storage's figures for
 * the Actuator endpoint; the retry layer reports its retries to it), the application's own
 * {@link Layer} beans, concurrency limit, retry, timeout (so that every attempt has its own
 * deadline).
 */
public class ObjectStorageFactory {

	private static final Log logger = LogFactory.getLog(ObjectStorageFactory.class);

	private final Map<String, StorageBackendFactory> backendFactories = new LinkedHashMap<>();

	private final List<Layer> applicationLayers;

	private final StorageMetricsRegistry metricsRegistry;

	private final DataBufferFactory bufferFactory;

	private boolean guessContentType = true;

	private StorageObservations observations = (name, includePath) -> null;

	public ObjectStorageFactory(List<StorageBackendFactory> backendFactories, List<Layer> applicationLayers,
			StorageMetricsRegistry metricsRegistry, DataBufferFactory bufferFactory) {
		backendFactories.forEach((factory) -> this.backendFactories.putIfAbsent(factory.type(), factory));
		this.applicationLayers = applicationLayers;
		this.metricsRegistry = metricsRegistry;
		this.bufferFactory = bufferFactory;
	}

	/**
	 * Sets whether the storages built here guess the content type of a write without one from the
	 * path's extension (see {@link ObjectStorage.Builder#guessContentType(boolean)}). Default
	 * {@code true}.
	 * @param guessContentType whether to guess
	 */
	public void setGuessContentType(boolean guessContentType) {
		this.guessContentType = guessContentType;
	}

	/**
	 * Sets where the storages built here get their observation layer (none by default).
	 * @param observations the supplier of observation layers
	 */
	public void setObservations(StorageObservations observations) {
		this.observations = observations;
	}

	/**
	 * Builds the storage a definition describes.
	 * @param storage the definition
	 * @return the storage
	 * @throws InvalidStorageConfigurationException if its properties are wrong
	 */
	public ObjectStorage create(StorageDefinition storage) {
		StorageInstanceProperties properties = storage.properties();
		String type = properties.getType();
		StorageBackendFactory factory = this.backendFactories.get(type);
		if (factory == null) {
			StorageBackendType registered = StorageBackendTypes.find(type);
			String module = (registered != null) ? registered.module() : null;
			String hint = (module != null)
					? " The " + type + " type needs dev.objectstorage:" + module + " on the classpath." : "";
			throw new InvalidStorageConfigurationException(storage.property("type"),
					"Unknown storage type '" + type + "' for storage '" + storage.name() + "'." + hint,
					"Set " + storage.property("type") + " to one of "
							+ String.join(", ", new TreeSet<>(this.backendFactories.keySet()))
							+ "." + hint,
					null);
		}
		StorageBackend backend = factory.create(storage, this.bufferFactory);
		try {
			ObjectStorage built = ObjectStorage.builder()
				.name(storage.name())
				.backend(backend)
				.layers(layers(storage))
				.guessContentType(this.guessContentType)
				.build();
			logger.info("Object storage '" + storage.name() + "' (" + built.scheme() + ") at " + built.location());
			return built;
		}
		catch (StorageException ex) {
			backend.close();
			if (ex.kind() == ErrorKind.CONFIG_INVALID) {
				throw new InvalidStorageConfigurationException(storage.propertyPrefix(), ex.getMessage(),
						"Check the layer settings of storage '" + storage.name() + "' under " + storage.propertyPrefix()
								+ ".",
						ex);
			}
			throw ex;
		}
	}

	private List<Layer> layers(StorageDefinition storage) {
		StorageInstanceProperties properties = storage.properties();
		List<Layer> layers = new ArrayList<>();
		if (properties.getObservations().isEnabled()) {
			Layer observation = this.observations.create(storage.name(), properties.getObservations().isIncludePath());
			if (observation != null) {
				layers.add(observation);
			}
		}
		MetricsLayer metrics = properties.getMetrics().isEnabled() ? this.metricsRegistry.create(storage.name()) : null;
		if (metrics != null) {
			layers.add(metrics);
		}
		layers.addAll(this.applicationLayers);
		Integer maxConcurrent = properties.getConcurrencyLimit().getMaxConcurrent();
		if (maxConcurrent != null) {
			layers.add(invalidAs(storage.property("concurrency-limit.max-concurrent"),
					() -> new ConcurrencyLimitLayer(maxConcurrent)));
		}
		StorageInstanceProperties.Retry retry = properties.getRetry();
		if (retry.isEnabled() && retry.getMaxAttempts() != 1) {
			RetryLayer.RetryListener listener = retryListener(metrics);
			layers.add(invalidAs(storage.property("retry"), () -> new RetryLayer(new RetryLayer.RetrySettings(
					retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(), 0.5), listener)));
		}
		StorageInstanceProperties.Timeout timeout = properties.getTimeout();
		if (timeout.isEnabled()) {
			layers.add(invalidAs(storage.property("timeout"), () -> new TimeoutLayer(
					new TimeoutLayer.TimeoutSettings(timeout.getOperation(), timeout.getIdle()))));
		}
		return layers;
	}

	/** Retries are counted by the storage's metrics layer, next to the outcomes of its operations. */
	private static RetryLayer.RetryListener retryListener(@Nullable MetricsLayer metrics) {
		return (metrics != null) ? metrics.retryListener() : (operation, error, attempt) -> {
		};
	}

	private static Layer invalidAs(String property, java.util.function.Supplier<Layer> layer) {
		try {
			return layer.get();
		}
		catch (InvalidSettingException ex) {
			throw new InvalidStorageConfigurationException(property, ex.getMessage(),
					"Fix " + property + ": " + ex.getMessage(), ex);
		}
	}

}
