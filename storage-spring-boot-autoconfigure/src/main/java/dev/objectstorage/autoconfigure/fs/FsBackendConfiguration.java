package dev.objectstorage.autoconfigure.fs;

import dev.objectstorage.autoconfigure.StorageBackendType;
import dev.objectstorage.autoconfigure.StorageBackendTypes;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code fs} type: objects are files under a local directory. Declares its
 * {@link FsStorageBackendFactory} bean; registered in {@link StorageBackendTypes#ALL}.
 */
@Configuration(proxyBeanMethods = false)
public final class FsBackendConfiguration {

	/** The {@code fs} type. */
	public static final StorageBackendType TYPE = new StorageBackendType("fs", "Filesystem",
			"Objects are files under a local directory (storage.fs.root).", null, "root", FsStorageProperties.class,
			FsBackendConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	FsStorageBackendFactory fsStorageBackendFactory() {
		return new FsStorageBackendFactory();
	}

}
