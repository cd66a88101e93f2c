package dev.objectstorage.autoconfigure.s3;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * How to reach an S3 service. Taken from {@code storage.s3.*} by default; a bean of this type (for
 * example from a Testcontainers {@code @ServiceConnection} on a {@code MinIOContainer}) replaces
 * the endpoint, region, credentials and path-style setting of every {@code s3} storage.
 */
public interface S3ConnectionDetails extends ConnectionDetails {

	/**
	 * The endpoint of an S3-compatible service.
	 * @return the endpoint, or {@code null} for AWS S3
	 */
	@Nullable URI getEndpoint();

	/**
	 * The region.
	 * @return the region, or {@code null} for the SDK's default region chain
	 */
	@Nullable String getRegion();

	/**
	 * The access key id.
	 * @return the access key id, or {@code null} for the SDK's default credential chain
	 */
	@Nullable String getAccessKeyId();

	/**
	 * The secret access key.
	 * @return the secret, or {@code null} for the SDK's default credential chain
	 */
	@Nullable String getSecretAccessKey();

	/**
	 * Whether to put the bucket in the request path.
	 * @return {@code true} for path-style access
	 */
	boolean isPathStyleAccess();

}
