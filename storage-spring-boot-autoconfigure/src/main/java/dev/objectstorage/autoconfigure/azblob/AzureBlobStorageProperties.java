package dev.objectstorage.autoconfigure.azblob;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of a storage in an Azure Blob Storage container.
 * <p>
 * Bound for each storage of type {@code azblob}: under {@code storage.azblob.*} for the storage configured
 * under {@code storage.*}, under {@code storage.instances.<name>.azblob.*} for a named one (the
 * annotation gives the configuration metadata its {@code storage.azblob.*} keys).
 */
@ConfigurationProperties(AzureBlobStorageProperties.PREFIX)
public class AzureBlobStorageProperties {

	/** The prefix of these properties for the storage configured under {@code storage.*}. */
	public static final String PREFIX = "storage.azblob";

	/**
	 * Name of the container (3 to 63 lower-case letters, digits and dashes).
	 */
	private @Nullable String container;

	/**
	 * Name prefix under which the storage's blobs live, so that several storages can share a
	 * container. Empty for the whole container.
	 */
	private String prefix = "";

	/**
	 * Endpoint of the blob service, for example 'https://myaccount.blob.core.windows.net' or
	 * Azurite's 'http://127.0.0.1:10000/devstoreaccount1'. Derived from the account name when not set.
	 */
	private @Nullable URI endpoint;

	/**
	 * Name of the storage account.
	 */
	private @Nullable String accountName;

	/**
	 * Shared key of the storage account. Never logged nor shown by Actuator.
	 */
	private @Nullable String accountKey;

	/**
	 * Connection string of the storage account, instead of endpoint, account name and key or
	 * SAS token. Never logged nor shown by Actuator.
	 */
	private @Nullable String connectionString;

	/**
	 * Shared access signature token, instead of the account key. Never logged nor shown by
	 * Actuator.
	 */
	private @Nullable String sasToken;

	/**
	 * Size of the blocks of block uploads.
	 */
	private DataSize blockSize = DataSize.ofMegabytes(8);

	/**
	 * How many blocks of one upload are sent at once. One upload holds about block-size times
	 * (blocks-in-flight + 2) bytes in memory.
	 */
	private int blocksInFlight = 4;

	/**
	 * Largest write sent in one request instead of blocks. Defaults to block-size times
	 * blocks-in-flight (32 MiB).
	 */
	private @Nullable DataSize maxSingleUploadSize;

	/**
	 * How many times the Azure SDK tries each HTTP request. The retry layer ('retry.*') retries
	 * whole operations on top.
	 */
	private int sdkMaxAttempts = 3;

	public @Nullable String getContainer() {
		return this.container;
	}

	public void setContainer(@Nullable String container) {
		this.container = container;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public @Nullable URI getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(@Nullable URI endpoint) {
		this.endpoint = endpoint;
	}

	public @Nullable String getAccountName() {
		return this.accountName;
	}

	public void setAccountName(@Nullable String accountName) {
		this.accountName = accountName;
	}

	public @Nullable String getAccountKey() {
		return this.accountKey;
	}

	public void setAccountKey(@Nullable String accountKey) {
		this.accountKey = accountKey;
	}

	public @Nullable String getConnectionString() {
		return this.connectionString;
	}

	public void setConnectionString(@Nullable String connectionString) {
		this.connectionString = connectionString;
	}

	public @Nullable String getSasToken() {
		return this.sasToken;
	}

	public void setSasToken(@Nullable String sasToken) {
		this.sasToken = sasToken;
	}

	public DataSize getBlockSize() {
		return this.blockSize;
	}

	public void setBlockSize(DataSize blockSize) {
		this.blockSize = blockSize;
	}

	public int getBlocksInFlight() {
		return this.blocksInFlight;
	}

	public void setBlocksInFlight(int blocksInFlight) {
		this.blocksInFlight = blocksInFlight;
	}

	public @Nullable DataSize getMaxSingleUploadSize() {
		return this.maxSingleUploadSize;
	}

	public void setMaxSingleUploadSize(@Nullable DataSize maxSingleUploadSize) {
		this.maxSingleUploadSize = maxSingleUploadSize;
	}

	public int getSdkMaxAttempts() {
		return this.sdkMaxAttempts;
	}

	public void setSdkMaxAttempts(int sdkMaxAttempts) {
		this.sdkMaxAttempts = sdkMaxAttempts;
	}

}
