package dev.objectstorage.autoconfigure.azblob;

import dev.objectstorage.autoconfigure.StorageBackendType;
import dev.objectstorage.autoconfigure.StorageBackendTypes;
import dev.objectstorage.azblob.AzureBlobBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code azblob} type: an Azure Blob Storage container. Declares its
 * {@link AzureBlobStorageBackendFactory} bean, with the {@link AzureBlobConnectionDetails} and
 * {@link AzureBlobClientCustomizer}s there are, when storage-azblob is on the class path;
 * registered in {@link StorageBackendTypes#ALL}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(AzureBlobBackend.class)
public final class AzureBlobBackendConfiguration {

	/** The {@code azblob} type. */
	public static final StorageBackendType TYPE = new StorageBackendType("azblob", "Azure Blob Storage",
			"An Azure Blob Storage container (storage.azblob.*); needs storage-azblob.", "storage-azblob", "container",
			AzureBlobStorageProperties.class, AzureBlobBackendConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	AzureBlobStorageBackendFactory azureBlobStorageBackendFactory(
			ObjectProvider<AzureBlobConnectionDetails> connectionDetails,
			ObjectProvider<AzureBlobClientCustomizer> customizers) {
		return new AzureBlobStorageBackendFactory(connectionDetails.getIfAvailable(),
				customizers.orderedStream().toList());
	}

}
