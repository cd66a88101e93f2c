package dev.objectstorage.azblob;

import java.net.URI;
import java.util.Locale;

import dev.objectstorage.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of an {@link AzureBlobBackend}. Immutable and validated when built: an invalid value fails
 * with an {@link InvalidSettingException} that names the setting.
 * {@link #toString()} never shows the account key, the connection string or the SAS token.
 * <p>
 * Credentials: either a {@link #connectionString()}, or an {@link #accountName()} with an
 * {@link #accountKey()} (shared key), a {@link #sasToken()}, or neither
 * (anonymous access to a public container). Applications with other credentials (Entra ID) build
 * their own {@code BlobContainerAsyncClient} and hand it to the backend.
 * <pre>{@code
 * AzureBlobSettings settings = AzureBlobSettings.builder()
 *     .accountName("myaccount").accountKey(key).container("data").prefix("app/")
 *     .build();
 * }</pre>
 *
 * @param endpoint the blob service endpoint, for example {@code http://127.0.0.1:10000/devstoreaccount1}
 * for Azurite, or {@code null} for {@code https://<accountName>.blob.core.windows.net} (or the
 * connection string's)
 * @param accountName the storage account's name, or {@code null} when a connection string is used
 * (blank counts as {@code null}; trimmed)
 * @param accountKey the account's shared key (base64), or {@code null} (blank counts as
 * {@code null}; trimmed)
 * @param connectionString a connection string (as the Azure portal shows it), instead of endpoint,
 * account name and key, or {@code null} (blank counts as {@code null}; trimmed)
 * @param sasToken a shared access signature that authorises every request, or {@code null} (blank
 * counts as {@code null}; trimmed)
 * @param container the container that holds the storage's blobs (required, trimmed). It must exist.
 * @param prefix the blob name prefix under which the storage's objects live ("root"): empty for the
 * whole container, otherwise without a leading {@code /} and ending in {@code /} (normalised so;
 * {@code null} counts as empty)
 * @param blockSize the size of the blocks of a block upload in bytes
 * @param blocksInFlight how many blocks of one upload are staged at once. One upload holds at most
 * about {@code max(maxSingleUploadSize + blockSize, blockSize * (blocksInFlight + 2))} bytes (the
 * bytes collected for a single request and the block being cut; or the blocks in flight, the one
 * being cut and one completed block waiting its turn; the integration tests measure this bound).
 * @param maxSingleUploadSize writes of at most this many bytes are sent in one {@code Put Blob}
 * request; larger ones are staged block by block and committed with {@code Put Block List}. The
 * builder defaults it to {@code blockSize * blocksInFlight} (32 MiB with the default block size and
 * blocks in flight; at most {@link #MAX_BLOCK_SIZE}), which keeps a write within the memory of a
 * block upload.
 * @param sdkMaxAttempts how many times the SDK tries each HTTP request (each block on its own) before
 * it gives up; also bounds how often a broken download resumes. 1 leaves retries to a
 * {@link dev.objectstorage.layer.RetryLayer} alone.
 */
public record AzureBlobSettings(@Nullable URI endpoint, @Nullable String accountName, @Nullable String accountKey,
		@Nullable String connectionString, @Nullable String sasToken, String container, String prefix,
		long blockSize, int blocksInFlight, long maxSingleUploadSize, int sdkMaxAttempts) {

	/** The largest block a buffer of this backend can hold (Azure itself allows 4000 MiB). */
	public static final long MAX_BLOCK_SIZE = Integer.MAX_VALUE - 8;

	/** Default block size: 8 MiB. */
	public static final long DEFAULT_BLOCK_SIZE = 8L * 1024 * 1024;

	/** Default number of blocks of one upload sent at once: 4. */
	public static final int DEFAULT_BLOCKS_IN_FLIGHT = 4;

	public AzureBlobSettings {
		accountName = blankToNull(accountName);
		accountKey = blankToNull(accountKey);
		connectionString = blankToNull(connectionString);
		sasToken = blankToNull(sasToken);
		container = require(container, "container");
		prefix = normalisePrefix(prefix);
		if (!container.equals(container.toLowerCase(Locale.ROOT)) || container.length() < 3
				|| container.length() > 63 || !container.matches("[a-z0-9](-?[a-z0-9])*|\\$root")) {
			throw invalid("container", "must be 3 to 63 lower-case letters, digits and single dashes, was '"
					+ container + "'");
		}
		if (connectionString != null) {
			if (accountName != null || accountKey != null || sasToken != null || endpoint != null) {
				throw invalid("connectionString",
						"must not be combined with endpoint, accountName, accountKey or sasToken (it holds them)");
			}
			if (connectionStringValue(connectionString, "AccountName") == null
					&& connectionStringValue(connectionString, "BlobEndpoint") == null
					&& !connectionString.contains("UseDevelopmentStorage=true")) {
				throw invalid("connectionString", "names neither an AccountName nor a BlobEndpoint");
			}
		}
		else if (accountName == null) {
			throw invalid("accountName", "must be set (or a connectionString)");
		}
		if (accountKey != null && sasToken != null) {
			throw invalid("accountKey", "and sasToken must not both be set");
		}
		if (endpoint != null && (endpoint.getRawQuery() != null || endpoint.getRawUserInfo() != null)) {
			// a SAS in the endpoint would be shown wherever the endpoint is, and dropped by the client
			throw invalid("endpoint", "must not have a query or user info (set a SAS with sasToken)");
		}
		if (endpoint != null && (endpoint.isOpaque() || endpoint.getHost() == null
				|| !("http".equalsIgnoreCase(endpoint.getScheme()) || "https".equalsIgnoreCase(endpoint.getScheme())))) {
			// the value is not repeated: a mistyped one may hold a SAS
			throw invalid("endpoint", "must be an absolute http or https URL with a host");
		}
		if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
			throw invalid("blockSize", "must be between 1 byte and " + MAX_BLOCK_SIZE + " bytes, was " + blockSize);
		}
		if (blocksInFlight < 1) {
			throw invalid("blocksInFlight", "must be at least 1, was " + blocksInFlight);
		}
		if (maxSingleUploadSize < 1 || maxSingleUploadSize > MAX_BLOCK_SIZE) {
			throw invalid("maxSingleUploadSize",
					"must be between 1 byte and " + MAX_BLOCK_SIZE + " bytes, was " + maxSingleUploadSize);
		}
		if (sdkMaxAttempts < 1) {
			throw invalid("sdkMaxAttempts", "must be at least 1, was " + sdkMaxAttempts);
		}
	}

	/**
	 * The largest single upload when none is set: as many bytes as the blocks in flight hold.
	 * @param blockSize the block size
	 * @param blocksInFlight the blocks staged at once
	 * @return {@code blockSize * blocksInFlight}, at most {@link #MAX_BLOCK_SIZE}
	 */
	static long defaultMaxSingleUploadSize(long blockSize, int blocksInFlight) {
		return Math.min(blockSize * Math.max(blocksInFlight, 1), MAX_BLOCK_SIZE);
	}

	/**
	 * A builder with the defaults: 8 MiB blocks, 4 blocks in flight, single uploads up to the
	 * blocks in flight (32 MiB), 3 attempts per request, no prefix.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.endpoint = this.endpoint;
		builder.accountName = this.accountName;
		builder.accountKey = this.accountKey;
		builder.connectionString = this.connectionString;
		builder.sasToken = this.sasToken;
		builder.container = this.container;
		builder.prefix = this.prefix;
		builder.blockSize = this.blockSize;
		builder.blocksInFlight = this.blocksInFlight;
		// a threshold that only followed the block size and blocks in flight keeps following them
		builder.maxSingleUploadSize = (this.maxSingleUploadSize != defaultMaxSingleUploadSize(this.blockSize,
				this.blocksInFlight)) ? this.maxSingleUploadSize : null;
		builder.sdkMaxAttempts = this.sdkMaxAttempts;
		return builder;
	}

	/** Whether requests are signed with the account key (given alone or in the connection string). */
	boolean hasAccountKey() {
		return this.accountKey != null || connectionStringValue(this.connectionString, "AccountKey") != null;
	}

	/**
	 * The account name, from the settings or the connection string, for humans.
	 * @return the name, or {@code "devstoreaccount1"} if unknown (a development storage connection
	 * string)
	 */
	String accountNameForDisplay() {
		if (this.accountName != null) {
			return this.accountName;
		}
		String name = connectionStringValue(this.connectionString, "AccountName");
		return (name != null) ? name : "devstoreaccount1";
	}

	private static @Nullable String connectionStringValue(@Nullable String connectionString, String key) {
		if (connectionString == null) {
			return null;
		}
		for (String part : connectionString.split(";")) {
			int eq = part.indexOf('=');
			if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(key)) {
				String value = part.substring(eq + 1).trim();
				return value.isEmpty() ? null : value;
			}
		}
		return null;
	}

	private static String require(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			throw invalid(name, "must not be empty");
		}
		return value.trim();
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/** The prefix without a leading {@code /}, ending in {@code /} unless empty. */
	private static String normalisePrefix(@Nullable String prefix) {
		if (prefix == null) {
			return "";
		}
		String p = prefix;
		while (p.startsWith("/")) {
			p = p.substring(1);
		}
		if (!p.isEmpty() && !p.endsWith("/")) {
			p = p + "/";
		}
		for (String segment : p.isEmpty() ? new String[0] : p.split("/")) {
			// the rules of object paths: a prefix Azure would rewrite (it drops a segment's final dots)
			// would store blobs where listings do not look
			if (segment.isEmpty() || segment.endsWith(".")
					|| segment.chars().anyMatch((c) -> c < 0x20 || c == 0x7f || c == '\\')) {
				throw invalid("prefix", "must be '/'-separated segments without empty ones, control characters,"
						+ " backslashes or a final '.', was '" + prefix + "'");
			}
		}
		return p;
	}

	private static InvalidSettingException invalid(String setting, String problem) {
		return new InvalidSettingException("Azure Blob", setting, problem);
	}

	@Override
	public String toString() {
		return "AzureBlobSettings[endpoint=" + this.endpoint + ", accountName=" + this.accountName + ", accountKey="
				+ mask(this.accountKey) + ", connectionString=" + mask(this.connectionString) + ", sasToken="
				+ mask(this.sasToken) + ", container=" + this.container + ", prefix=" + this.prefix + ", blockSize="
				+ this.blockSize + ", blocksInFlight=" + this.blocksInFlight + ", maxSingleUploadSize="
				+ this.maxSingleUploadSize + ", sdkMaxAttempts=" + this.sdkMaxAttempts + "]";
	}

	private static String mask(@Nullable String secret) {
		return (secret != null) ? "******" : "null";
	}

	/** Builds {@link AzureBlobSettings}; {@link #build()} validates. */
	public static final class Builder {

		private @Nullable URI endpoint;

		private @Nullable String accountName;

		private @Nullable String accountKey;

		private @Nullable String connectionString;

		private @Nullable String sasToken;

		private @Nullable String container;

		private @Nullable String prefix;

		private long blockSize = DEFAULT_BLOCK_SIZE;

		private int blocksInFlight = DEFAULT_BLOCKS_IN_FLIGHT;

		private @Nullable Long maxSingleUploadSize;

		private int sdkMaxAttempts = 3;

		private Builder() {
		}

		/**
		 * Sets the blob service endpoint.
		 * @param endpoint the endpoint, or {@code null} for Azure's public cloud
		 * @return this builder
		 */
		public Builder endpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
			return this;
		}

		/**
		 * Sets the storage account's name.
		 * @param accountName the name
		 * @return this builder
		 */
		public Builder accountName(@Nullable String accountName) {
			this.accountName = accountName;
			return this;
		}

		/**
		 * Sets the account's shared key.
		 * @param accountKey the base64 key
		 * @return this builder
		 */
		public Builder accountKey(@Nullable String accountKey) {
			this.accountKey = accountKey;
			return this;
		}

		/**
		 * Sets a connection string instead of endpoint, account name and key.
		 * @param connectionString the connection string
		 * @return this builder
		 */
		public Builder connectionString(@Nullable String connectionString) {
			this.connectionString = connectionString;
			return this;
		}

		/**
		 * Sets a shared access signature that authorises the requests.
		 * @param sasToken the token, with or without the leading {@code ?}
		 * @return this builder
		 */
		public Builder sasToken(@Nullable String sasToken) {
			this.sasToken = sasToken;
			return this;
		}

		/**
		 * Sets the container (required).
		 * @param container the container's name
		 * @return this builder
		 */
		public Builder container(@Nullable String container) {
			this.container = container;
			return this;
		}

		/**
		 * Sets the blob name prefix of the storage's objects.
		 * @param prefix the prefix, for example {@code app/files}
		 * @return this builder
		 */
		public Builder prefix(@Nullable String prefix) {
			this.prefix = prefix;
			return this;
		}

		/**
		 * Sets the block size of block uploads.
		 * @param blockSize the size in bytes
		 * @return this builder
		 */
		public Builder blockSize(long blockSize) {
			this.blockSize = blockSize;
			return this;
		}

		/**
		 * Sets how many blocks of one upload are staged at once.
		 * @param blocksInFlight the number of blocks
		 * @return this builder
		 */
		public Builder blocksInFlight(int blocksInFlight) {
			this.blocksInFlight = blocksInFlight;
			return this;
		}

		/**
		 * Sets the largest write sent in a single request (by default {@code blockSize * blocksInFlight},
		 * 32 MiB with the other defaults). Up to this many bytes are collected before the write
		 * decides between one {@code Put Blob} and staged blocks.
		 * @param maxSingleUploadSize the size in bytes
		 * @return this builder
		 */
		public Builder maxSingleUploadSize(long maxSingleUploadSize) {
			this.maxSingleUploadSize = maxSingleUploadSize;
			return this;
		}

		/**
		 * Sets how many times the SDK tries each request.
		 * @param sdkMaxAttempts the number of attempts, at least 1
		 * @return this builder
		 */
		public Builder sdkMaxAttempts(int sdkMaxAttempts) {
			this.sdkMaxAttempts = sdkMaxAttempts;
			return this;
		}

		/**
		 * Validates and builds the settings.
		 * @return the settings
		 * @throws InvalidSettingException naming the setting whose value is invalid or missing
		 */
		public AzureBlobSettings build() {
			return new AzureBlobSettings(this.endpoint, this.accountName, this.accountKey, this.connectionString,
					this.sasToken, this.container, this.prefix, this.blockSize, this.blocksInFlight,
					(this.maxSingleUploadSize != null) ? this.maxSingleUploadSize
							: defaultMaxSingleUploadSize(this.blockSize, this.blocksInFlight),
					this.sdkMaxAttempts);
		}

	}

}
