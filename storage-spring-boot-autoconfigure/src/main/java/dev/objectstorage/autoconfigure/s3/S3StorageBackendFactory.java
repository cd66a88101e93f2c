package dev.objectstorage.autoconfigure.s3;

import java.net.URI;
import java.util.List;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import dev.objectstorage.autoconfigure.BackendSettingsFailuresAccess;
import dev.objectstorage.autoconfigure.InvalidStorageConfigurationException;
import dev.objectstorage.autoconfigure.StorageBackendFactory;
import dev.objectstorage.autoconfigure.StorageDefinition;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3Settings;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Creates {@code s3} backends from {@code storage.s3.*}, {@link S3ConnectionDetails} and
 * {@link S3ClientCustomizer}s.
 */
class S3StorageBackendFactory implements StorageBackendFactory {

	private final @Nullable S3ConnectionDetails connectionDetails;

	private final List<S3ClientCustomizer> customizers;

	S3StorageBackendFactory(@Nullable S3ConnectionDetails connectionDetails, List<S3ClientCustomizer> customizers) {
		this.connectionDetails = connectionDetails;
		this.customizers = customizers;
	}

	@Override
	public String type() {
		return "s3";
	}

	@Override
	public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
		S3Settings settings = settings(storage);
		S3AsyncClientBuilder builder;
		try {
			builder = S3Backend.clientBuilder(settings);
		}
		catch (StorageException ex) {
			if (ex.kind() != ErrorKind.CONFIG_INVALID) {
				throw ex;
			}
			// the region is the one setting the SDK must find at start-up
			String region = storage.property("s3.region");
			throw new InvalidStorageConfigurationException(region,
					"No AWS region is set for s3 storage '" + storage.name() + "', and none was found in the environment.",
					"Set " + region + " (for example eu-west-1), or the AWS_REGION environment variable, or a region "
							+ "in ~/.aws/config.",
					ex);
		}
		this.customizers.forEach((customizer) -> customizer.customize(storage.name(), builder));
		return new S3Backend(settings, builder.build(), bufferFactory, true);
	}

	S3Settings settings(StorageDefinition storage) {
		S3StorageProperties s3 = storage.bind("s3", S3StorageProperties.class);
		if (s3.getBucket() == null || s3.getBucket().isBlank()) {
			throw new InvalidStorageConfigurationException(storage.property("s3.bucket"),
					"The bucket of s3 storage '" + storage.name() + "' is not set.",
					"Set " + storage.property("s3.bucket") + " to the name of an existing bucket.", null);
		}
		S3ConnectionDetails connection = (this.connectionDetails != null) ? this.connectionDetails
				: new PropertiesS3ConnectionDetails(s3);
		URI endpoint = connection.getEndpoint();
		if (endpoint != null && (endpoint.getScheme() == null
				|| !(endpoint.getScheme().equalsIgnoreCase("http") || endpoint.getScheme().equalsIgnoreCase("https"))
				|| endpoint.getHost() == null)) {
			String property = storage.property("s3.endpoint");
			throw new InvalidStorageConfigurationException(property,
					"The endpoint of s3 storage '" + storage.name() + "' is not an http(s) URL with a host.",
					"Set " + property + " to the service's URL, for example http://127.0.0.1:9000 or "
							+ "https://s3.eu-west-1.amazonaws.com, or leave it unset for AWS S3.",
					null);
		}
		return BackendSettingsFailuresAccess.build(storage, "s3", (setting, property) -> switch (setting) {
			case "partSize" -> "Set " + property + " to at least 5MB (S3's smallest part), for example 8MB.";
			case "accessKeyId", "secretAccessKey" -> "Set both " + storage.property("s3.access-key-id") + " and "
					+ storage.property("s3.secret-access-key") + ", or neither to use the AWS default credential chain.";
			default -> null;
		}, () -> S3Settings.builder()
			.bucket(s3.getBucket())
			.prefix(s3.getPrefix())
			.region(connection.getRegion())
			.endpoint(connection.getEndpoint())
			.pathStyleAccess(connection.isPathStyleAccess())
			.credentials(connection.getAccessKeyId(), connection.getSecretAccessKey())
			.partSize(s3.getPartSize().toBytes())
			.partsInFlight(s3.getPartsInFlight())
			.maxConnections(s3.getMaxConnections())
			.sdkMaxAttempts(s3.getSdkMaxAttempts())
			.checksums(S3Settings.Checksums.valueOf(s3.getChecksums().name()))
			.conditionalWrites(S3Settings.ConditionalWrites.valueOf(s3.getConditionalWrites().name()))
			.build());
	}

	/** Connection details from {@code storage.s3.*}. */
	static final class PropertiesS3ConnectionDetails implements S3ConnectionDetails {

		private final S3StorageProperties properties;

		PropertiesS3ConnectionDetails(S3StorageProperties properties) {
			this.properties = properties;
		}

		// blank values (as '${S3_ENDPOINT:}' gives when the variable is unset) mean "not set"

		@Override
		public @Nullable URI getEndpoint() {
			URI endpoint = this.properties.getEndpoint();
			return (endpoint == null || endpoint.toString().isBlank()) ? null : endpoint;
		}

		@Override
		public @Nullable String getRegion() {
			return blankToNull(this.properties.getRegion());
		}

		@Override
		public @Nullable String getAccessKeyId() {
			return blankToNull(this.properties.getAccessKeyId());
		}

		@Override
		public @Nullable String getSecretAccessKey() {
			return blankToNull(this.properties.getSecretAccessKey());
		}

		private static @Nullable String blankToNull(@Nullable String value) {
			return (value == null || value.isBlank()) ? null : value;
		}

		@Override
		public boolean isPathStyleAccess() {
			return this.properties.isPathStyleAccess();
		}

	}

}
