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
 */
public record S3Settings(String bucket, String prefix, @Nullable String region, @Nullable URI endpoint,
		boolean pathStyleAccess, @Nullable String accessKeyId, @Nullable String secretAccessKey, long partSize,
		int partsInFlight, int maxConnections, long multipartCopyThreshold, int sdkMaxAttempts) {

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
		if ((accessKeyId == null) != (secretAccessKey == null)) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"set both accessKeyId and secretAccessKey, or neither (to use the default credential chain)");
		}
	}

	/**
	 * Settings for a bucket with the defaults: whole bucket, default region and credential chains,
	 * 8 MiB parts, 4 parts in flight.
	 * @param bucket the bucket
	 * @return the settings
	 */
	public static S3Settings of(String bucket) {
		return new S3Settings(bucket, "", null, null, false, null, null, DEFAULT_PART_SIZE, 4, 64,
				MAX_COPY_OBJECT_SIZE, 3);
	}

	public S3Settings withPrefix(String prefix) {
		return new S3Settings(this.bucket, prefix, this.region, this.endpoint, this.pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withRegion(@Nullable String region) {
		return new S3Settings(this.bucket, this.prefix, region, this.endpoint, this.pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withEndpoint(@Nullable URI endpoint) {
		return new S3Settings(this.bucket, this.prefix, this.region, endpoint, this.pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withPathStyleAccess(boolean pathStyleAccess) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, pathStyleAccess, this.accessKeyId,
				this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withCredentials(@Nullable String accessKeyId, @Nullable String secretAccessKey) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess, accessKeyId,
				secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections, this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withPartSize(long partSize) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, partSize, this.partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withPartsInFlight(int partsInFlight) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withMaxConnections(int maxConnections) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, maxConnections,
				this.multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withMultipartCopyThreshold(long multipartCopyThreshold) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections,
				multipartCopyThreshold, this.sdkMaxAttempts);
	}

	public S3Settings withSdkMaxAttempts(int sdkMaxAttempts) {
		return new S3Settings(this.bucket, this.prefix, this.region, this.endpoint, this.pathStyleAccess,
				this.accessKeyId, this.secretAccessKey, this.partSize, this.partsInFlight, this.maxConnections,
				this.multipartCopyThreshold, sdkMaxAttempts);
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
				+ this.sdkMaxAttempts + "]";
	}

}
