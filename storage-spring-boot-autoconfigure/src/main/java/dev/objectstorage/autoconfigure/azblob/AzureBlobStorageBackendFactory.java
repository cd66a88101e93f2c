package dev.objectstorage.autoconfigure.azblob;

import java.util.List;

import com.azure.storage.blob.BlobContainerClientBuilder;
import dev.objectstorage.autoconfigure.BackendSettingsFailuresAccess;
import dev.objectstorage.autoconfigure.InvalidStorageConfigurationException;
import dev.objectstorage.autoconfigure.StorageBackendFactory;
import dev.objectstorage.autoconfigure.StorageDefinition;
import dev.objectstorage.azblob.AzureBlobBackend;
import dev.objectstorage.azblob.AzureBlobSettings;
import dev.objectstorage.spi.StorageBackend;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.util.unit.DataSize;

/**
 * Creates {@code azblob} backends from {@code storage.azblob.*}, {@link AzureBlobConnectionDetails}
 * and {@link AzureBlobClientCustomizer}s.
 */
class AzureBlobStorageBackendFactory implements StorageBackendFactory {

	private final @org.jspecify.annotations.Nullable AzureBlobConnectionDetails connectionDetails;

	private final List<AzureBlobClientCustomizer> customizers;

	AzureBlobStorageBackendFactory(List<AzureBlobClientCustomizer> customizers) {
		this(null, customizers);
	}

	AzureBlobStorageBackendFactory(@org.jspecify.annotations.Nullable AzureBlobConnectionDetails connectionDetails,
			List<AzureBlobClientCustomizer> customizers) {
		this.connectionDetails = connectionDetails;
		this.customizers = customizers;
	}

	@Override
	public String type() {
		return "azblob";
	}

	@Override
	public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
		AzureBlobSettings settings = settings(storage);
		BlobContainerClientBuilder builder;
		try {
			builder = AzureBlobBackend.clientBuilder(settings);
		}
		catch (IllegalArgumentException ex) {
			// the SDK parses the connection string (or endpoint) here; a message that may quote a part of it
			// (key=value) is left out, as it could hold a key
			String detail = (ex.getMessage() != null && !ex.getMessage().contains("=")) ? ": " + ex.getMessage() : ".";
			String property = storage.property((settings.connectionString() != null) ? "azblob.connection-string"
					: "azblob.endpoint");
			throw new InvalidStorageConfigurationException(property,
					"The Azure SDK refused the settings of azblob storage '" + storage.name() + "'" + detail,
					"Fix " + property + ".", ex);
		}
		this.customizers.forEach((customizer) -> customizer.customize(storage.name(), builder));
		return new AzureBlobBackend(settings, builder.buildAsyncClient(), bufferFactory);
	}

	AzureBlobSettings settings(StorageDefinition storage) {
		AzureBlobStorageProperties azblob = storage.bind("azblob", AzureBlobStorageProperties.class);
		BackendSettingsFailuresAccess.require(storage, "azblob.container", azblob.getContainer(), "container");
		AzureBlobConnectionDetails connection = this.connectionDetails;
		if (connection == null && blank(azblob.getConnectionString())) {
			BackendSettingsFailuresAccess.require(storage, "azblob.account-name", azblob.getAccountName(),
					"account name (or connection string)");
		}
		return BackendSettingsFailuresAccess.build(storage, "azblob", () -> {
			AzureBlobSettings.Builder builder = AzureBlobSettings.builder()
				.container(azblob.getContainer())
				.prefix(azblob.getPrefix());
			if (connection != null) {
				builder.connectionString(connection.getConnectionString());
			}
			else {
				builder.endpoint(blank(azblob.getEndpoint()) ? null : azblob.getEndpoint())
					.accountName(azblob.getAccountName())
					.accountKey(azblob.getAccountKey())
					.connectionString(azblob.getConnectionString())
					.sasToken(azblob.getSasToken());
			}
			builder.blockSize(azblob.getBlockSize().toBytes())
				.blocksInFlight(azblob.getBlocksInFlight())
				.sdkMaxAttempts(azblob.getSdkMaxAttempts());
			DataSize maxSingleUploadSize = azblob.getMaxSingleUploadSize();
			if (maxSingleUploadSize != null) {
				builder.maxSingleUploadSize(maxSingleUploadSize.toBytes());
			}
			return builder.build();
		});
	}

	private static boolean blank(@org.jspecify.annotations.Nullable Object value) {
		return value == null || value.toString().isBlank();
	}

}
