package dev.objectstorage.s3;

import java.net.URI;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link S3Backend}. Immutable; the {@code with...} methods return copies.
 * {@link #toString()} never shows the secret key.
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
 * @param partSize the size of the parts of a multipart upload in bytes (at least 5 MiB); writes
 * smaller than this are sent with a single {@code PutObject}
 * @param partsInFlight how many parts of one upload are sent at once; one upload holds at most about
 * {@code partSize * (partsInFlight + 1)} bytes in memory
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

	/** The largest object {@code CopyObject} copies in one request: 5 GiB. */
	public static final long MAX_COPY_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;

	public S3Settings {
		if (bucket == null || bucket.isBlank()) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "bucket must not be empty");
		}
		prefix = normalisePrefix(prefix);
		if (partSize < MIN_PART_SIZE) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"partSize must be at least 5 MiB (" + MIN_PART_SIZE + " bytes), was " + partSize);
		}
		if (partSize > Integer.MAX_VALUE - 8) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "partSize must be less than 2 GiB, was " + partSize);
		}
		if (partsInFlight < 1) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "partsInFlight must be at least 1, was " + partsInFlight);
		}
		if (maxConnections < 1) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"maxConnections must be at least 1, was " + maxConnections);
		}
		if (multipartCopyThreshold < 1 || multipartCopyThreshold > MAX_COPY_OBJECT_SIZE) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"multipartCopyThreshold must be between 1 byte and 5 GiB, was " + multipartCopyThreshold);
		}
		if (sdkMaxAttempts < 1) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"sdkMaxAttempts must be at least 1, was " + sdkMaxAttempts);
		}
		if (checksums == null) {
			checksums = Checksums.WHEN_SUPPORTED;
		}
		if (conditionalWrites == null) {
			conditionalWrites = ConditionalWrites.AUTO;
		}
		if ((accessKeyId == null) != (secretAccessKey == null)) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"set both accessKeyId and secretAccessKey, or neither (to use the default credential chain)");
		}
	}

	/**
	 * Settings with the default {@link Checksums#WHEN_SUPPORTED checksums} and
	 * {@link ConditionalWrites#AUTO conditional writes}, as before those settings existed.
	 */
	public S3Settings(String bucket, String prefix, @Nullable String region, @Nullable URI endpoint,
			boolean pathStyleAccess, @Nullable String accessKeyId, @Nullable String secretAccessKey, long partSize,
			int partsInFlight, int maxConnections, long multipartCopyThreshold, int sdkMaxAttempts) {
		this(bucket, prefix, region, endpoint, pathStyleAccess, accessKeyId, secretAccessKey, partSize, partsInFlight,
				maxConnections, multipartCopyThreshold, sdkMaxAttempts, Checksums.WHEN_SUPPORTED, ConditionalWrites.AUTO);
	}

	/**
	 * Settings for a bucket with the defaults: whole bucket, default region and credential chains,
	 * 8 MiB parts, 4 parts in flight, {@link Checksums#WHEN_SUPPORTED checksums when supported},
	 * {@link ConditionalWrites#AUTO conditional writes checked by a probe}.
	 * @param bucket the bucket
	 * @return the settings
	 */
	public static S3Settings of(String bucket) {
		return new S3Settings(bucket, "", null, null, false, null, null, DEFAULT_PART_SIZE, 4, 64,
				MAX_COPY_OBJECT_SIZE, 3, Checksums.WHEN_SUPPORTED, ConditionalWrites.AUTO);
	}

	public S3Settings withPrefix(String prefix) {
		return new S3Settings(this.bucket, prefix, this.region, this.endpoint, this.pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withRegion(@Nullable String region) {
		return new S3Settings(this.bucket, this.prefix, region, this.endpoint, this.pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withEndpoint(@Nullable URI endpoint) {
		return new S3Settings(this.bucket, this.prefix, this.region, endpoint, this.pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withPathStyleAccess(boolean pathStyleAccess) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withCredentials(@Nullable String accessKeyId, @Nullable String secretAccessKey) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess, accessKeyId,
				secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withPartSize(long partSize) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, partSize, this.partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withPartsInFlight(int partsInFlight) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withMaxConnections(int maxConnections) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withMultipartCopyThreshold(long multipartCopyThreshold) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections,
				multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	public S3Settings withSdkMaxAttempts(int sdkMaxAttempts) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, sdkMaxAttempts, this.checksums, this.conditionalWrites);
	}

	/**
	 * A copy with other checksum settings; {@link Checksums#WHEN_REQUIRED} for services that do not
	 * understand the SDK's {@code aws-chunked} uploads with checksum trailers.
	 * @param checksums when to compute and check checksums
	 * @return the copy
	 */
	public S3Settings withChecksums(Checksums checksums) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts, checksums, this.conditionalWrites);
	}

	/**
	 * A copy with another conditional-write mode; {@link ConditionalWrites#DISABLED} for services
	 * that ignore {@code If-None-Match} and {@code If-Match} on writes.
	 * @param conditionalWrites the mode
	 * @return the copy
	 */
	public S3Settings withConditionalWrites(ConditionalWrites conditionalWrites) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts, this.checksums, conditionalWrites);
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

}
