package dev.objectstorage.autoconfigure;

import java.util.List;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.layer.Layer;
import dev.objectstorage.layer.MetricsRecorder;
import dev.objectstorage.layer.MicrometerMetricsRecorder;
import dev.objectstorage.layer.ObservationLayer;
import dev.objectstorage.layer.StorageObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Auto-configuration of object storage: one {@link ObjectStorage} bean per storage configured under
 * {@code storage.*} (an in-memory one, with a warning, when nothing is configured), each with the
 * layers its properties ask for, the application's own {@link Layer} beans, Micrometer meters when
 * Micrometer is present, and an observation (a span, with Boot's tracing) per operation when an
 * {@code ObservationRegistry} exists; and the backend factory of every registered type
 * ({@link StorageBackendTypes}) whose module is present. Every bean here backs off when the
 * application defines its own; the application's own {@link ObjectStorage} beans add to the
 * configured ones, and one named like a configured storage ({@code <name>} or
 * {@code <name>ObjectStorage}) replaces it.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(ObjectStorage.class)
@EnableConfigurationProperties(StorageProperties.class)
public final class StorageAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StorageMetricsRegistry storageMetricsRegistry(ObjectProvider<StorageMetricsRecorders> recorders) {
		return new StorageMetricsRegistry(recorders.getIfAvailable(() -> (name) -> List.of()));
	}

	@Bean
	@ConditionalOnMissingBean
	ObjectStorageFactory objectStorageFactory(ObjectProvider<StorageBackendFactory> backendFactories,
			ObjectProvider<Layer> layers, ObjectProvider<StorageObservations> observations,
			StorageMetricsRegistry metricsRegistry, StorageProperties properties) {
		ObjectStorageFactory factory = new ObjectStorageFactory(backendFactories.orderedStream().toList(),
				layers.orderedStream().toList(), metricsRegistry, DefaultDataBufferFactory.sharedInstance);
		factory.setGuessContentType(properties.isGuessContentType());
		observations.ifAvailable(factory::setObservations);
		return factory;
	}

	@Bean
	static StorageProtocolResolver storageProtocolResolver() {
		return new StorageProtocolResolver();
	}

	/**
	 * The configured storages. The application's own {@link ObjectStorage} beans add to them; one
	 * named {@code <name>} or {@code <name>ObjectStorage} replaces the configured storage
	 * {@code <name>} (see {@link StorageBeanRegistrar}).
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(StorageBeanRegistrar.class)
	static class ObjectStorageBeansConfiguration {

	}

	/**
	 * The backend factory of every registered type whose module is on the class path (see
	 * {@link StorageBackendTypes}).
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(StorageBackendTypes.Configurations.class)
	static class BackendFactoriesConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MicrometerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StorageMetricsRecorders micrometerStorageMetricsRecorders(ObjectProvider<MeterRegistry> registry) {
			return (name) -> {
				MeterRegistry meters = registry.getIfAvailable();
				return (meters != null) ? List.<MetricsRecorder>of(new MicrometerMetricsRecorder(meters, name))
						: List.of();
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StorageObservations storageObservations(ObjectProvider<ObservationRegistry> registry,
				ObjectProvider<StorageObservationConvention> convention) {
			return (name, includePath) -> {
				ObservationRegistry observations = registry.getIfAvailable();
				return (observations != null && !observations.isNoop())
						? new ObservationLayer(observations, name, includePath, convention.getIfAvailable()) : null;
			};
		}

	}

}
