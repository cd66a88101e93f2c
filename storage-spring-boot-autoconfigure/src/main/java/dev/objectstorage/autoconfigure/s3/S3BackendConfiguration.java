package dev.objectstorage.autoconfigure.s3;

import dev.objectstorage.autoconfigure.StorageBackendType;
import dev.objectstorage.autoconfigure.StorageBackendTypes;
import dev.objectstorage.s3.S3Backend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code s3} type: AWS S3 or an S3-compatible service. Declares its
 * {@link S3StorageBackendFactory} bean, with the {@link S3ConnectionDetails} and
 * {@link S3ClientCustomizer}s there are, when storage-s3 is on the class path; registered in
 * {@link StorageBackendTypes#ALL}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(S3Backend.class)
public final class S3BackendConfiguration {

	/** The {@code s3} type. */
	public static final StorageBackendType TYPE = new StorageBackendType("s3", "S3",
			"AWS S3 or an S3-compatible service (storage.s3.*); needs storage-s3.", "storage-s3", "bucket",
			S3StorageProperties.class, S3BackendConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	S3StorageBackendFactory s3StorageBackendFactory(ObjectProvider<S3ConnectionDetails> connectionDetails,
			ObjectProvider<S3ClientCustomizer> customizers) {
		return new S3StorageBackendFactory(connectionDetails.getIfAvailable(), customizers.orderedStream().toList());
	}

}
