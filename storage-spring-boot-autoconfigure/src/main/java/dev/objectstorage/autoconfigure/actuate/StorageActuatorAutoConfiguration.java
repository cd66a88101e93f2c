package dev.objectstorage.autoconfigure.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.autoconfigure.StorageAutoConfiguration;
import dev.objectstorage.autoconfigure.StorageMetricsRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Actuator support: the {@code storage} endpoint and the {@code storage} health contributor (one
 * component per storage, switched with {@code management.health.storage.enabled}).
 */
@AutoConfiguration(after = StorageAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ObjectStorage.class)
public final class StorageActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(StorageEndpoint.class)
	StorageEndpoint storageEndpoint(ObjectProvider<ObjectStorage> storages,
			ObjectProvider<StorageMetricsRegistry> metrics) {
		return new StorageEndpoint(storages.orderedStream().toList(),
				metrics.getIfAvailable(StorageMetricsRegistry::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("storage")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "storageHealthContributor")
		ReactiveHealthContributor storageHealthContributor(ObjectProvider<ObjectStorage> storages,
				Environment environment) {
			Duration timeout = environment.getProperty("management.health.storage.timeout", Duration.class,
					StorageHealthIndicator.DEFAULT_TIMEOUT);
			Map<String, ObjectStorage> byName = new LinkedHashMap<>();
			storages.orderedStream().forEach((storage) -> byName.put(storage.name(), storage));
			return CompositeReactiveHealthContributor.fromMap(byName,
					(storage) -> new StorageHealthIndicator(storage, timeout));
		}

	}

}
