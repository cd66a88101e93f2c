package dev.objectstorage.autoconfigure.memory;

import dev.objectstorage.autoconfigure.StorageBackendType;
import dev.objectstorage.autoconfigure.StorageBackendTypes;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code memory} type: objects live in memory. Declares its {@link MemoryStorageBackendFactory}
 * bean; registered in {@link StorageBackendTypes#ALL}.
 */
@Configuration(proxyBeanMethods = false)
public final class MemoryBackendConfiguration {

	/** The {@code memory} type. */
	public static final StorageBackendType TYPE = new StorageBackendType("memory", "Memory",
			"Objects live in memory and are lost when the application stops.", null, null, null,
			MemoryBackendConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	MemoryStorageBackendFactory memoryStorageBackendFactory() {
		return new MemoryStorageBackendFactory();
	}

}
