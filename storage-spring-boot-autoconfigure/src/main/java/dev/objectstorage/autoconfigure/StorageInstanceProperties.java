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
	 * Type of storage: 'fs' (a local directory), 'memory' (lost on restart) or 's3' (AWS S3 or any
	 * S3-compatible service; needs storage-s3 on the classpath).
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

}
