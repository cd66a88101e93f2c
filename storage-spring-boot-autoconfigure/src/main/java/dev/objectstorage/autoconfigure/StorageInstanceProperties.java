package dev.objectstorage.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The settings of one storage: its type, the type's own settings and its layers. The single
 * storage is configured under {@code storage.*}, named ones under {@code storage.instances.<name>.*}.
 */
public class StorageInstanceProperties {

	/**
	 * Type of storage: 'fs' (a local directory), 'memory' (lost on restart), 's3' (AWS S3 or any
	 * S3-compatible service; needs storage-s3), 'azblob' (Azure Blob Storage; needs storage-azblob),
	 * 'webdav' (a WebDAV server; needs storage-webdav) or 'sftp' (an SFTP server; needs storage-sftp).
	 */
	private @Nullable String type;

	/**
	 * Settings of the 'fs' type.
	 */
	private final Fs fs = new Fs();

	/**
	 * Settings of the 's3' type.
	 */
	private final S3 s3 = new S3();

	/**
	 * Settings of the 'azblob' type.
	 */
	private final Azblob azblob = new Azblob();

	/**
	 * Settings of the 'webdav' type.
	 */
	private final Webdav webdav = new Webdav();

	/**
	 * Settings of the 'sftp' type.
	 */
	private final Sftp sftp = new Sftp();

	/**
	 * Retries of operations that fail with a temporary error.
	 */
	private final Retry retry = new Retry();

	/**
	 * Timeouts of operations and of gaps in streams.
	 */
	private final Timeout timeout = new Timeout();

	/**
	 * Limit on the operations that run at once.
	 */
	private final ConcurrencyLimit concurrencyLimit = new ConcurrencyLimit();

	/**
	 * Metrics of operations, bytes and throughput (shown by the 'storage' Actuator endpoint).
	 */
	private final Metrics metrics = new Metrics();

	private final Observations observations = new Observations();

	public @Nullable String getType() {
		return this.type;
	}

	public void setType(@Nullable String type) {
		this.type = type;
	}

	public Fs getFs() {
		return this.fs;
	}

	public S3 getS3() {
		return this.s3;
	}

	public Azblob getAzblob() {
		return this.azblob;
	}

	public Webdav getWebdav() {
		return this.webdav;
	}

	public Sftp getSftp() {
		return this.sftp;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Timeout getTimeout() {
		return this.timeout;
	}

	public ConcurrencyLimit getConcurrencyLimit() {
		return this.concurrencyLimit;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Settings of a storage in a local directory.
	 */
	public static class Fs {

		/**
		 * Directory that holds the objects. Nothing outside it is ever read or written.
		 */
		private @Nullable Path root;

		/**
		 * Whether to create the root directory if it does not exist.
		 */
		private boolean createRoot = true;

		/**
		 * Whether every write forces its data to disk before it completes (durable across power
		 * loss, and much slower).
		 */
		private boolean fsync;

		/**
		 * Size of the buffers that reads emit.
		 */
		private DataSize bufferSize = DataSize.ofKilobytes(64);

		/**
		 * Reads of at least this size map the file into memory instead of copying it into buffers
		 * (one copy less); 0 never maps.
		 */
		private DataSize mmapThreshold = DataSize.ofKilobytes(128);

		/**
		 * Temporary files of writes older than this are leftovers of a process that died mid-write and
		 * are deleted by a sweep in the background after start; 0 turns the sweep off.
		 */
		private Duration tempMaxAge = Duration.ofHours(24);

		public @Nullable Path getRoot() {
			return this.root;
		}

		public void setRoot(@Nullable Path root) {
			this.root = root;
		}

		public boolean isCreateRoot() {
			return this.createRoot;
		}

		public void setCreateRoot(boolean createRoot) {
			this.createRoot = createRoot;
		}

		public boolean isFsync() {
			return this.fsync;
		}

		public void setFsync(boolean fsync) {
			this.fsync = fsync;
		}

		public DataSize getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(DataSize bufferSize) {
			this.bufferSize = bufferSize;
		}

		public DataSize getMmapThreshold() {
			return this.mmapThreshold;
		}

		public void setMmapThreshold(DataSize mmapThreshold) {
			this.mmapThreshold = mmapThreshold;
		}

		public Duration getTempMaxAge() {
			return this.tempMaxAge;
		}

		public void setTempMaxAge(Duration tempMaxAge) {
			this.tempMaxAge = tempMaxAge;
		}

	}

	/**
	 * Settings of a storage in an S3 bucket.
	 */
	public static class S3 {

		/**
		 * Name of the bucket.
		 */
		private @Nullable String bucket;

		/**
		 * Key prefix under which the storage's objects live, so that several storages can share a
		 * bucket. Empty for the whole bucket.
		 */
		private String prefix = "";

		/**
		 * Region of the bucket. When not set, the AWS SDK's default region chain decides
		 * ('us-east-1' when an endpoint is set).
		 */
		private @Nullable String region;

		/**
		 * Endpoint of an S3-compatible service such as MinIO, Ceph or R2, for example
		 * 'http://localhost:9000'. Not set for AWS S3.
		 */
		private @Nullable URI endpoint;

		/**
		 * Whether to put the bucket in the path of requests instead of the host name; most
		 * S3-compatible services need it.
		 */
		private boolean pathStyleAccess;

		/**
		 * Access key id. When not set, the AWS SDK's default credential chain decides (environment,
		 * profile, instance role).
		 */
		private @Nullable String accessKeyId;

		/**
		 * Secret access key that goes with the access key id. Never logged nor shown by Actuator.
		 */
		private @Nullable String secretAccessKey;

		/**
		 * Size of the parts of multipart uploads (at least 5MB); smaller writes are sent in one
		 * request.
		 */
		private DataSize partSize = DataSize.ofMegabytes(8);

		/**
		 * How many parts of one upload are sent at once. One upload holds about part-size times
		 * (parts-in-flight + 1) bytes in memory.
		 */
		private int partsInFlight = 4;

		/**
		 * Maximum number of HTTP connections to the service.
		 */
		private int maxConnections = 64;

		/**
		 * How many times the AWS SDK tries each HTTP request (each part of an upload on its own).
		 * The retry layer ('retry.*') retries whole operations on top, resuming broken reads.
		 */
		private int sdkMaxAttempts = 3;

		/**
		 * When the AWS SDK adds checksums to uploads and checks those of downloads: 'when-supported'
		 * (the SDK's default, end-to-end integrity) or 'when-required' for services that store the
		 * SDK's aws-chunked framing as content, such as s3rver.
		 */
		private Checksums checksums = Checksums.WHEN_SUPPORTED;

		/**
		 * Whether conditional writes are offered: 'auto' checks once, with a probe of a few requests,
		 * that the service honours them and refuses them otherwise, 'enabled' trusts the service,
		 * 'disabled' turns them off.
		 */
		private ConditionalWrites conditionalWrites = ConditionalWrites.AUTO;

		public @Nullable String getBucket() {
			return this.bucket;
		}

		public void setBucket(@Nullable String bucket) {
			this.bucket = bucket;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public @Nullable String getRegion() {
			return this.region;
		}

		public void setRegion(@Nullable String region) {
			this.region = region;
		}

		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
		}

		public boolean isPathStyleAccess() {
			return this.pathStyleAccess;
		}

		public void setPathStyleAccess(boolean pathStyleAccess) {
			this.pathStyleAccess = pathStyleAccess;
		}

		public @Nullable String getAccessKeyId() {
			return this.accessKeyId;
		}

		public void setAccessKeyId(@Nullable String accessKeyId) {
			this.accessKeyId = accessKeyId;
		}

		public @Nullable String getSecretAccessKey() {
			return this.secretAccessKey;
		}

		public void setSecretAccessKey(@Nullable String secretAccessKey) {
			this.secretAccessKey = secretAccessKey;
		}

		public DataSize getPartSize() {
			return this.partSize;
		}

		public void setPartSize(DataSize partSize) {
			this.partSize = partSize;
		}

		public int getPartsInFlight() {
			return this.partsInFlight;
		}

		public void setPartsInFlight(int partsInFlight) {
			this.partsInFlight = partsInFlight;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getSdkMaxAttempts() {
			return this.sdkMaxAttempts;
		}

		public void setSdkMaxAttempts(int sdkMaxAttempts) {
			this.sdkMaxAttempts = sdkMaxAttempts;
		}

		public Checksums getChecksums() {
			return this.checksums;
		}

		public void setChecksums(Checksums checksums) {
			this.checksums = checksums;
		}

		public ConditionalWrites getConditionalWrites() {
			return this.conditionalWrites;
		}

		public void setConditionalWrites(ConditionalWrites conditionalWrites) {
			this.conditionalWrites = conditionalWrites;
		}

		/**
		 * When the AWS SDK computes and checks checksums (mirrors the S3 backend's setting).
		 */
		public enum Checksums {

			/** The SDK's default: checksums on every upload, checked by the service. */
			WHEN_SUPPORTED,

			/** Only where an operation requires them; uploads carry a Content-MD5 instead. */
			WHEN_REQUIRED

		}

		/**
		 * Whether conditional writes are offered (mirrors the S3 backend's setting).
		 */
		public enum ConditionalWrites {

			/** Offered, after a one-time probe that the service honours them. */
			AUTO,

			/** Offered without a probe. */
			ENABLED,

			/** Not offered. */
			DISABLED

		}

	}

	/**
	 * Settings of a storage in an Azure Blob Storage container.
	 */
	public static class Azblob {

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
		 * Largest write sent in one request instead of blocks. Defaults to the block size.
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

	/**
	 * Settings of a storage on a WebDAV server.
	 */
	public static class Webdav {

		/**
		 * URL of the WebDAV collection that holds the storage, for example
		 * 'https://dav.example.com/files/'.
		 */
		private @Nullable URI baseUrl;

		/**
		 * Path under the base URL in which the storage's objects live. Empty for the base URL itself.
		 */
		private String root = "";

		/**
		 * User name for HTTP Basic authentication. Not set for anonymous access.
		 */
		private @Nullable String username;

		/**
		 * Password for HTTP Basic authentication. Never logged nor shown by Actuator.
		 */
		private @Nullable String password;

		/**
		 * Maximum number of HTTP connections to the server.
		 */
		private int maxConnections = 32;

		/**
		 * How long to wait for a connection to the server.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		/**
		 * How long the server may stay silent while an answer is awaited or read (and how long a
		 * request waits for a pooled connection).
		 */
		private Duration responseTimeout = Duration.ofSeconds(60);

		/**
		 * How long a conditional write waits for another one of the same object, and after which an
		 * abandoned write lock is broken.
		 */
		private Duration lockTimeout = Duration.ofSeconds(30);

		/**
		 * Age after which temporary resources left behind by writers that died mid-write are deleted
		 * by a sweep run once when the backend starts (0 turns the sweep off).
		 */
		private Duration tempMaxAge = Duration.ofHours(24);

		/**
		 * Whether objects carry metadata (content type, user metadata, cache control, content
		 * disposition), kept as WebDAV dead properties: 'auto' asks the server once when the storage
		 * is created (servers without a dead-property store, such as nginx or rclone, then take writes
		 * without metadata and the storage reports those capabilities off), 'enabled' assumes it
		 * (writes still check what was stored), 'disabled' never stores metadata.
		 */
		private Metadata metadata = Metadata.AUTO;

		/**
		 * Whether objects of a WebDAV storage carry metadata.
		 */
		public enum Metadata {

			/** Ask the server once, when the storage is created. */
			AUTO,

			/** The server stores dead properties. */
			ENABLED,

			/** Never store metadata. */
			DISABLED

		}

		/**
		 * Whether path segments starting with '.' (or '~') are stored with a '~' in front, for
		 * servers that leave names starting with '.' out of their listings (nginx's dav-ext module).
		 * Off: such names are stored as they are, and refused on a server found to hide them.
		 */
		private boolean escapeLeadingDots;

		public boolean isEscapeLeadingDots() {
			return this.escapeLeadingDots;
		}

		public void setEscapeLeadingDots(boolean escapeLeadingDots) {
			this.escapeLeadingDots = escapeLeadingDots;
		}

		public Metadata getMetadata() {
			return this.metadata;
		}

		public void setMetadata(Metadata metadata) {
			this.metadata = metadata;
		}

		public @Nullable URI getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable URI baseUrl) {
			this.baseUrl = baseUrl;
		}

		public String getRoot() {
			return this.root;
		}

		public void setRoot(String root) {
			this.root = root;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getResponseTimeout() {
			return this.responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
		}

		public Duration getTempMaxAge() {
			return this.tempMaxAge;
		}

		public void setTempMaxAge(Duration tempMaxAge) {
			this.tempMaxAge = tempMaxAge;
		}

	}

	/**
	 * Settings of a storage on an SFTP server.
	 */
	public static class Sftp {

		/**
		 * Host name or address of the SSH server.
		 */
		private @Nullable String host;

		/**
		 * Port of the SSH server.
		 */
		private int port = 22;

		/**
		 * User to log in as.
		 */
		private @Nullable String username;

		/**
		 * Password of the user, for password authentication. Never logged nor shown by Actuator.
		 */
		private @Nullable String password;

		/**
		 * Private key (OpenSSH or PEM text) for public key authentication. Never logged nor shown
		 * by Actuator.
		 */
		private @Nullable String privateKey;

		/**
		 * File that holds the private key for public key authentication.
		 */
		private @Nullable Path privateKeyPath;

		/**
		 * Passphrase of an encrypted private key. Never logged nor shown by Actuator.
		 */
		private @Nullable String privateKeyPassphrase;

		/**
		 * The known_hosts file that lists the server's host key; '~/.ssh/known_hosts' when not set.
		 * A server whose key is not listed is refused.
		 */
		private @Nullable Path knownHosts;

		/**
		 * Whether to accept any host key the server presents. INSECURE: for throwaway test
		 * servers only.
		 */
		private boolean acceptAnyHostKey = false;

		/**
		 * Directory that holds the objects: absolute, or relative to the login directory. Empty for
		 * the login directory.
		 */
		private String root = "";

		/**
		 * Whether to create the root directory if it does not exist.
		 */
		private boolean createRoot = true;

		/**
		 * Most SFTP channels open at once; each operation borrows one for its duration.
		 */
		private int maxChannels = 8;

		/**
		 * How many channels share one SSH connection (OpenSSH allows 10 by default).
		 */
		private int channelsPerSession = 4;

		/**
		 * How long to wait for the connection and key exchange.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		/**
		 * How long to wait for authentication.
		 */
		private Duration authTimeout = Duration.ofSeconds(10);

		/**
		 * How long an operation waits for a free channel when all max-channels are busy before it
		 * fails with a timeout.
		 */
		private Duration acquireTimeout = Duration.ofSeconds(30);

		/**
		 * Size of each SFTP read request and of the buffers reads emit.
		 */
		private DataSize readChunkSize = DataSize.ofKilobytes(64);

		/**
		 * How many SFTP read or write requests one read or write keeps in flight; more hides more
		 * network latency, and costs up to this many times the request size in memory.
		 */
		private int requestsInFlight = 32;

		/**
		 * Whether to keep a small hidden sidecar file next to each object with a version tag, the
		 * content type and user metadata. Without it, entity tags come from size and modification time
		 * alone and those metadata are not supported.
		 */
		private boolean metadata = true;

		/**
		 * How old a temporary file left behind by a write that died must be for the one background
		 * sweep at start-up to remove it; 0 turns the sweep off.
		 */
		private Duration tempMaxAge = Duration.ofHours(24);

		/**
		 * Whether the server can create a file only if its name is free, atomically (hard links that
		 * are really made, or a rename that never replaces), so that writes with ifNotExists are
		 * offered. Set false for servers that have neither (rclone serve sftp): the capability is
		 * then off. Left true on such a server, those writes fail as unsupported.
		 */
		private boolean atomicCreate = true;

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable String privateKey) {
			this.privateKey = privateKey;
		}

		public @Nullable Path getPrivateKeyPath() {
			return this.privateKeyPath;
		}

		public void setPrivateKeyPath(@Nullable Path privateKeyPath) {
			this.privateKeyPath = privateKeyPath;
		}

		public @Nullable String getPrivateKeyPassphrase() {
			return this.privateKeyPassphrase;
		}

		public void setPrivateKeyPassphrase(@Nullable String privateKeyPassphrase) {
			this.privateKeyPassphrase = privateKeyPassphrase;
		}

		public @Nullable Path getKnownHosts() {
			return this.knownHosts;
		}

		public void setKnownHosts(@Nullable Path knownHosts) {
			this.knownHosts = knownHosts;
		}

		public boolean isAcceptAnyHostKey() {
			return this.acceptAnyHostKey;
		}

		public void setAcceptAnyHostKey(boolean acceptAnyHostKey) {
			this.acceptAnyHostKey = acceptAnyHostKey;
		}

		public String getRoot() {
			return this.root;
		}

		public void setRoot(String root) {
			this.root = root;
		}

		public boolean isCreateRoot() {
			return this.createRoot;
		}

		public void setCreateRoot(boolean createRoot) {
			this.createRoot = createRoot;
		}

		public int getMaxChannels() {
			return this.maxChannels;
		}

		public void setMaxChannels(int maxChannels) {
			this.maxChannels = maxChannels;
		}

		public int getChannelsPerSession() {
			return this.channelsPerSession;
		}

		public void setChannelsPerSession(int channelsPerSession) {
			this.channelsPerSession = channelsPerSession;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getAuthTimeout() {
			return this.authTimeout;
		}

		public void setAuthTimeout(Duration authTimeout) {
			this.authTimeout = authTimeout;
		}

		public Duration getAcquireTimeout() {
			return this.acquireTimeout;
		}

		public void setAcquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = acquireTimeout;
		}

		public int getRequestsInFlight() {
			return this.requestsInFlight;
		}

		public void setRequestsInFlight(int requestsInFlight) {
			this.requestsInFlight = requestsInFlight;
		}

		public DataSize getReadChunkSize() {
			return this.readChunkSize;
		}

		public void setReadChunkSize(DataSize readChunkSize) {
			this.readChunkSize = readChunkSize;
		}

		public boolean isMetadata() {
			return this.metadata;
		}

		public void setMetadata(boolean metadata) {
			this.metadata = metadata;
		}

		public Duration getTempMaxAge() {
			return this.tempMaxAge;
		}

		public void setTempMaxAge(Duration tempMaxAge) {
			this.tempMaxAge = tempMaxAge;
		}

		public boolean isAtomicCreate() {
			return this.atomicCreate;
		}

		public void setAtomicCreate(boolean atomicCreate) {
			this.atomicCreate = atomicCreate;
		}

	}

	/**
	 * Retries of operations that fail with a temporary error.
	 */
	public static class Retry {

		/**
		 * Whether to retry operations that fail with a temporary error (throttling, timeouts, server
		 * errors). Writes, renames and batch deletes are never retried as a whole.
		 */
		private boolean enabled = true;

		/**
		 * How many times an operation is tried in all.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the first retry; it doubles with each retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * Timeouts of operations and of gaps in streams.
	 */
	public static class Timeout {

		/**
		 * Whether to apply timeouts.
		 */
		private boolean enabled = true;

		/**
		 * Longest time a single operation (stat, delete, copy, the completion of a write), or the
		 * first buffer of a read, may take.
		 */
		private Duration operation = Duration.ofSeconds(30);

		/**
		 * Longest gap between two buffers of a read or two entries of a listing.
		 */
		private Duration idle = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getOperation() {
			return this.operation;
		}

		public void setOperation(Duration operation) {
			this.operation = operation;
		}

		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

	}

	/**
	 * Limit on the operations that run at once.
	 */
	public static class ConcurrencyLimit {

		/**
		 * Maximum number of operations running at once on this storage; further ones wait, without
		 * blocking a thread. Not set for no limit.
		 */
		private @Nullable Integer maxConcurrent;

		public @Nullable Integer getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

	}

	/**
	 * Metrics of operations, bytes and throughput.
	 */
	public static class Metrics {

		/**
		 * Whether to measure operations, errors, bytes and latency (for the 'storage' endpoint and
		 * the 'storage.operations' and 'storage.bytes' meters).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Micrometer observations of operations (spans, with Spring Boot's tracing).
	 */
	public static class Observations {

		/**
		 * Whether to make every operation a Micrometer observation named 'storage.operation' (a span
		 * in the caller's trace where tracing is set up), when an ObservationRegistry bean exists.
		 */
		private boolean enabled = true;

		/**
		 * Whether observations carry the object's path as a high-cardinality key (a span attribute,
		 * never a metric tag). Paths may be personal data: off by default.
		 */
		private boolean includePath = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isIncludePath() {
			return this.includePath;
		}

		public void setIncludePath(boolean includePath) {
			this.includePath = includePath;
		}

	}

}
