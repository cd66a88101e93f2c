package dev.objectstorage.s3;

import java.net.URI;
import java.util.Objects;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link S3Backend}. Immutable and validated when built: an invalid value fails with an
 * {@link InvalidSettingException} that names the setting. {@link #toString()} never shows the secret
 * key.
 * <pre>{@code
 * S3Settings settings = S3Settings.builder().bucket("photos").region("eu-west-1").prefix("app/").build();
 * }</pre>
 *
 * @param bucket the bucket (required)
 * @param prefix a key prefix under which the storage's objects live ("root"); empty for the whole bucket
 * @param region the region, or {@code null} for the SDK's default region chain ({@code us-east-1}
 * when an endpoint is set and no region is found)
 * @param endpoint the endpoint of an S3-compatible service (MinIO, Ceph, R2, ...), or {@code null} for AWS
 * @param pathStyleAccess whether to address the bucket in the path ({@code http://host/bucket/key}),
 * which most S3-compatible services need
 * @param accessKeyId a static access key id, or {@code null} for the SDK's default credential chain
 * @param secretAccessKey the secret of the static access key, or {@code null}
 * @param partSize the size of the parts of a multipart upload in bytes (at least 5 MiB)
 * @param partsInFlight how many parts of one upload are sent at once; one upload holds at most about
 * {@code partSize * (partsInFlight + 1)} bytes in memory. A write that ends within
 * {@code partSize * partsInFlight} bytes (and 5 GiB) is sent with a single {@code PutObject}
 * instead of a multipart upload
 * @param maxConnections the maximum number of HTTP connections of the client the backend creates
 * @param multipartCopyThreshold objects larger than this are copied part by part ({@code UploadPartCopy});
 * S3's {@code CopyObject} stops at 5 GiB
 * @param sdkMaxAttempts how many times the SDK tries each HTTP request (each part of an upload on its
 * own) before it gives up; 1 leaves retries to a {@link dev.objectstorage.layer.RetryLayer} alone
 * @param checksums when the SDK adds checksums to requests and validates those of responses (see
 * {@link Checksums}); {@link Checksums#WHEN_SUPPORTED} by default
 * @param conditionalWrites whether conditional writes ({@code ifNotExists}, {@code ifMatch}) are
 * offered, and whether the backend first checks that the server honours them (see
 * {@link ConditionalWrites}); {@link ConditionalWrites#AUTO} by default
 */
public record S3Settings(String bucket, String prefix, @Nullable String region, @Nullable URI endpoint,
		boolean pathStyleAccess, @Nullable String accessKeyId, @Nullable String secretAccessKey, long partSize,
		int partsInFlight, int maxConnections, long multipartCopyThreshold, int sdkMaxAttempts, Checksums checksums,
		ConditionalWrites conditionalWrites) {

	/**
	 * When the SDK computes checksums of what it sends and checks those of what it receives.
	 */
	public enum Checksums {

		/**
		 * The SDK's default, end-to-end integrity: every {@code PutObject} and {@code UploadPart}
		 * carries a CRC32 of its bytes (for a {@code PutObject} as an {@code aws-chunked} body with a
		 * checksum trailer), which S3 verifies before it stores anything, and responses that carry a
		 * checksum are checked as they are read. Services that predate flexible checksums (such as
		 * {@code s3rver}) may store the {@code aws-chunked} framing as the object's content: use
		 * {@link #WHEN_REQUIRED} for them.
		 */
		WHEN_SUPPORTED,

		/**
		 * Checksums only where an operation requires them ({@code DeleteObjects}): plain request
		 * bodies that any S3-compatible service understands. Their integrity then rests on a
		 * {@code Content-MD5} header, which the backend computes for each {@code PutObject} and
		 * {@code UploadPart} (the bytes of a part are in memory anyway) and which S3 and most
		 * compatible services verify; responses are not checked beyond their length.
		 */
		WHEN_REQUIRED

	}

	/**
	 * Whether conditional writes are offered, and how the backend makes sure that a server that
	 * ignores the conditions never overwrites an object silently.
	 */
	public enum ConditionalWrites {

		/**
		 * Offered ({@link dev.objectstorage.Capabilities#writeWithIfNotExists()} and
		 * {@link dev.objectstorage.Capabilities#writeWithIfMatch()} are on), and checked once per
		 * backend: the first conditional write first probes the server on a temporary key next to
		 * the storage's objects (see {@link S3Backend}); where the server does not honour a
		 * condition, conditional writes fail with {@link ErrorKind#UNSUPPORTED} instead of
		 * overwriting. The probe costs up to 10 small requests, once.
		 */
		AUTO,

		/** Offered and sent without a probe: for services known to honour them (AWS S3, recent MinIO). */
		ENABLED,

		/**
		 * Not offered: both capabilities are off, so conditional writes fail with
		 * {@link ErrorKind#UNSUPPORTED} before any request, and callers can see it up front.
		 */
		DISABLED

	}

	/** The smallest part S3 accepts (but for the last part). */
	public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

	/** Default part size: 8 MiB. */
	public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

	/** Default number of parts of one upload sent at once: 4. */
	public static final int DEFAULT_PARTS_IN_FLIGHT = 4;

	/** Default maximum number of HTTP connections: 64. */
	public static final int DEFAULT_MAX_CONNECTIONS = 64;

	/** Default number of attempts of each HTTP request by the SDK: 3. */
	public static final int DEFAULT_SDK_MAX_ATTEMPTS = 3;

	/** The largest object {@code CopyObject} copies in one request: 5 GiB. */
	public static final long MAX_COPY_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;

	private static final String OWNER = "S3";

	public S3Settings {
		if (bucket == null || bucket.isBlank()) {
			throw new InvalidSettingException(OWNER, "bucket", "must not be empty");
		}
		prefix = normalisePrefix(prefix);
		if (partSize < MIN_PART_SIZE) {
			throw new InvalidSettingException(OWNER, "partSize",
					"must be at least 5 MiB (" + MIN_PART_SIZE + " bytes), was " + partSize);
		}
		if (partSize > Integer.MAX_VALUE - 8) {
			throw new InvalidSettingException(OWNER, "partSize", "must be less than 2 GiB, was " + partSize);
		}
		if (partsInFlight < 1) {
			throw new InvalidSettingException(OWNER, "partsInFlight", "must be at least 1, was " + partsInFlight);
		}
		if (maxConnections < 1) {
			throw new InvalidSettingException(OWNER, "maxConnections", "must be at least 1, was " + maxConnections);
		}
		if (multipartCopyThreshold < 1 || multipartCopyThreshold > MAX_COPY_OBJECT_SIZE) {
			throw new InvalidSettingException(OWNER, "multipartCopyThreshold",
					"must be between 1 byte and 5 GiB, was " + multipartCopyThreshold);
		}
		if (sdkMaxAttempts < 1) {
			throw new InvalidSettingException(OWNER, "sdkMaxAttempts", "must be at least 1, was " + sdkMaxAttempts);
		}
		if (checksums == null) {
			checksums = Checksums.WHEN_SUPPORTED;
		}
		if (conditionalWrites == null) {
			conditionalWrites = ConditionalWrites.AUTO;
		}
		if ((accessKeyId == null) != (secretAccessKey == null)) {
			// the one that is missing is the one to set
			throw new InvalidSettingException(OWNER, (accessKeyId == null) ? "accessKeyId" : "secretAccessKey",
					"must be set with " + ((accessKeyId == null) ? "secretAccessKey" : "accessKeyId")
							+ ", or neither be set (to use the default credential chain)");
		}
	}

	/**
	 * A builder with the defaults: whole bucket, default region and credential chains, 8 MiB parts,
	 * 4 parts in flight, 64 connections, copies part by part above 5 GiB, 3 SDK attempts per request,
	 * {@link Checksums#WHEN_SUPPORTED checksums when supported},
	 * {@link ConditionalWrites#AUTO conditional writes checked by a probe}.
	 * @return a new builder; {@link Builder#bucket(String)} is required
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
		builder.bucket = this.bucket;
		builder.prefix = this.prefix;
		builder.region = this.region;
		builder.endpoint = this.endpoint;
		builder.pathStyleAccess = this.pathStyleAccess;
		builder.accessKeyId = this.accessKeyId;
		builder.secretAccessKey = this.secretAccessKey;
		builder.partSize = this.partSize;
		builder.partsInFlight = this.partsInFlight;
		builder.maxConnections = this.maxConnections;
		builder.multipartCopyThreshold = this.multipartCopyThreshold;
		builder.sdkMaxAttempts = this.sdkMaxAttempts;
		builder.checksums = this.checksums;
		builder.conditionalWrites = this.conditionalWrites;
		return builder;
	}

	/** The key prefix without a leading {@code /}, ending in {@code /} unless empty. */
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
		return p;
	}

	@Override
	public String toString() {
		return "S3Settings[bucket=" + this.bucket + ", prefix=" + this.prefix + ", region=" + this.region
				+ ", endpoint=" + this.endpoint + ", pathStyleAccess=" + this.pathStyleAccess + ", accessKeyId="
				+ this.accessKeyId + ", secretAccessKey=" + ((this.secretAccessKey != null) ? "******" : "null")
				+ ", partSize=" + this.partSize + ", partsInFlight=" + this.partsInFlight + ", maxConnections="
				+ this.maxConnections + ", multipartCopyThreshold=" + this.multipartCopyThreshold + ", sdkMaxAttempts="
				+ this.sdkMaxAttempts + ", checksums=" + this.checksums + ", conditionalWrites=" + this.conditionalWrites
				+ "]";
	}

	/** Builds {@link S3Settings}; {@link #build()} validates. */
	public static final class Builder {

		private @Nullable String bucket;

		private @Nullable String prefix = "";

		private @Nullable String region;

		private @Nullable URI endpoint;

		private boolean pathStyleAccess;

		private @Nullable String accessKeyId;

		private @Nullable String secretAccessKey;

		private long partSize = DEFAULT_PART_SIZE;

		private int partsInFlight = DEFAULT_PARTS_IN_FLIGHT;

		private int maxConnections = DEFAULT_MAX_CONNECTIONS;

		private long multipartCopyThreshold = MAX_COPY_OBJECT_SIZE;

		private int sdkMaxAttempts = DEFAULT_SDK_MAX_ATTEMPTS;

		private Checksums checksums = Checksums.WHEN_SUPPORTED;

		private ConditionalWrites conditionalWrites = ConditionalWrites.AUTO;

		private Builder() {
		}

		/**
		 * Sets the bucket (required).
		 * @param bucket the bucket's name
		 * @return this builder
		 */
		public Builder bucket(@Nullable String bucket) {
			this.bucket = bucket;
			return this;
		}

		/**
		 * Sets the key prefix under which the storage's objects live.
		 * @param prefix the prefix, for example {@code app/files}; empty for the whole bucket
		 * @return this builder
		 */
		public Builder prefix(@Nullable String prefix) {
			this.prefix = prefix;
			return this;
		}

		/**
		 * Sets the region.
		 * @param region the region, or {@code null} for the SDK's default region chain
		 * @return this builder
		 */
		public Builder region(@Nullable String region) {
			this.region = region;
			return this;
		}

		/**
		 * Sets the endpoint of an S3-compatible service.
		 * @param endpoint the endpoint, or {@code null} for AWS
		 * @return this builder
		 */
		public Builder endpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
			return this;
		}

		/**
		 * Sets whether the bucket is addressed in the path ({@code false}).
		 * @param pathStyleAccess whether to use path-style access
		 * @return this builder
		 */
		public Builder pathStyleAccess(boolean pathStyleAccess) {
			this.pathStyleAccess = pathStyleAccess;
			return this;
		}

		/**
		 * Sets a static access key; both {@code null} for the SDK's default credential chain.
		 * @param accessKeyId the access key id
		 * @param secretAccessKey its secret
		 * @return this builder
		 */
		public Builder credentials(@Nullable String accessKeyId, @Nullable String secretAccessKey) {
			this.accessKeyId = accessKeyId;
			this.secretAccessKey = secretAccessKey;
			return this;
		}

		/**
		 * Sets the size of the parts of a multipart upload (8 MiB).
		 * @param partSize the size in bytes, at least 5 MiB
		 * @return this builder
		 */
		public Builder partSize(long partSize) {
			this.partSize = partSize;
			return this;
		}

		/**
		 * Sets how many parts of one upload are sent at once (4).
		 * @param partsInFlight the number of parts, at least 1
		 * @return this builder
		 */
		public Builder partsInFlight(int partsInFlight) {
			this.partsInFlight = partsInFlight;
			return this;
		}

		/**
		 * Sets the maximum number of HTTP connections of the client the backend creates (64).
		 * @param maxConnections the number of connections, at least 1
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Sets the size above which objects are copied part by part (5 GiB).
		 * @param multipartCopyThreshold the size in bytes, between 1 byte and 5 GiB
		 * @return this builder
		 */
		public Builder multipartCopyThreshold(long multipartCopyThreshold) {
			this.multipartCopyThreshold = multipartCopyThreshold;
			return this;
		}

		/**
		 * Sets how many times the SDK tries each HTTP request (3).
		 * @param sdkMaxAttempts the number of attempts, at least 1
		 * @return this builder
		 */
		public Builder sdkMaxAttempts(int sdkMaxAttempts) {
			this.sdkMaxAttempts = sdkMaxAttempts;
			return this;
		}

		/**
		 * Sets when the SDK computes and checks checksums ({@link Checksums#WHEN_SUPPORTED});
		 * {@link Checksums#WHEN_REQUIRED} for services that do not understand the SDK's
		 * {@code aws-chunked} uploads with checksum trailers.
		 * @param checksums when to compute and check checksums
		 * @return this builder
		 */
		public Builder checksums(Checksums checksums) {
			this.checksums = checksums;
			return this;
		}

		/**
		 * Sets the conditional-write mode ({@link ConditionalWrites#AUTO});
		 * {@link ConditionalWrites#DISABLED} for services that ignore {@code If-None-Match} and
		 * {@code If-Match} on writes.
		 * @param conditionalWrites the mode
		 * @return this builder
		 */
		public Builder conditionalWrites(ConditionalWrites conditionalWrites) {
			this.conditionalWrites = conditionalWrites;
			return this;
		}

		/**
		 * Validates and builds the settings.
		 * @return the settings
		 * @throws InvalidSettingException naming the setting whose value is invalid or missing
		 */
		public S3Settings build() {
			return new S3Settings(Objects.requireNonNullElse(this.bucket, ""), this.prefix, this.region, this.endpoint,
					this.pathStyleAccess, this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight,
					this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums,
					this.conditionalWrites);
		}

	}

}
