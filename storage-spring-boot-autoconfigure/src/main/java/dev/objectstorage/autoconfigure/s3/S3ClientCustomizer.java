package dev.objectstorage.autoconfigure.s3;

import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * Customises the {@link software.amazon.awssdk.services.s3.S3AsyncClient} of {@code s3} storages
 * before it is built (HTTP client settings, interceptors, retry strategy, ...). Beans of this type
 * are applied in order.
 */
@FunctionalInterface
public interface S3ClientCustomizer {

	/**
	 * Customises the builder.
	 * @param storageName the name of the storage the client is for
	 * @param builder the builder, already set up from the properties
	 */
	void customize(String storageName, S3AsyncClientBuilder builder);

}
