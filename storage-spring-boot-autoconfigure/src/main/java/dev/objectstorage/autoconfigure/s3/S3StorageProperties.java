package dev.objectstorage.autoconfigure.s3;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of a storage in an S3 bucket.
 * <p>
 * Bound for each storage of type {@code s3}: under {@code storage.s3.*} for the storage configured
 * under {@code storage.*}, under {@code storage.instances.<name>.s3.*} for a named one (the
 * annotation gives the configuration metadata its {@code storage.s3.*} keys).
 */
@ConfigurationProperties(S3StorageProperties.PREFIX)
public class S3StorageProperties {

	/** The prefix of these properties for the storage configured under {@code storage.*}. */
	public static final String PREFIX = "storage.s3";

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
