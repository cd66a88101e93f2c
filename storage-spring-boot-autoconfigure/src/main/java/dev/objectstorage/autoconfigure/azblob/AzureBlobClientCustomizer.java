package dev.objectstorage.autoconfigure.azblob;

import com.azure.storage.blob.BlobContainerClientBuilder;

/**
 * Customises the Azure container client of {@code azblob} storages before it is built (HTTP client,
 * pipeline policies, a token credential, ...). Beans of this type are applied in order.
 */
@FunctionalInterface
public interface AzureBlobClientCustomizer {

	/**
	 * Customises the builder.
	 * @param storageName the name of the storage the client is for
	 * @param builder the builder, already set up from the properties
	 */
	void customize(String storageName, BlobContainerClientBuilder builder);

}
