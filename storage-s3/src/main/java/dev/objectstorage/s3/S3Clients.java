package dev.objectstorage.s3;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The SDK objects an {@link S3Backend} works with, built as its settings describe: the client
 * ({@link S3Backend#clientBuilder(S3Settings)}) and the presigner, with the same endpoint, region,
 * credentials and path-style access.
 */
final class S3Clients {

	private S3Clients() {
	}

	/** See {@link S3Backend#clientBuilder(S3Settings)}. */
	static S3AsyncClientBuilder clientBuilder(S3Settings settings) {
		S3AsyncClientBuilder builder = S3AsyncClient.builder()
			.httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(settings.maxConnections()))
			.credentialsProvider(credentials(settings))
			.region(region(settings))
			.forcePathStyle(settings.pathStyleAccess())
			.requestChecksumCalculation(requestChecksums(settings))
			.responseChecksumValidation(responseChecksums(settings))
			.overrideConfiguration((c) -> c.retryStrategy((r) -> r.maxAttempts(settings.sdkMaxAttempts())));
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder;
	}

	private static RequestChecksumCalculation requestChecksums(S3Settings settings) {
		return (settings.checksums() == S3Settings.Checksums.WHEN_REQUIRED) ? RequestChecksumCalculation.WHEN_REQUIRED
				: RequestChecksumCalculation.WHEN_SUPPORTED;
	}

	private static ResponseChecksumValidation responseChecksums(S3Settings settings) {
		return (settings.checksums() == S3Settings.Checksums.WHEN_REQUIRED) ? ResponseChecksumValidation.WHEN_REQUIRED
				: ResponseChecksumValidation.WHEN_SUPPORTED;
	}

	/** The presigner of the settings' endpoint, region and credentials (also for an application's client). */
	static S3Presigner createPresigner(S3Settings settings) {
		S3Presigner.Builder builder = S3Presigner.builder()
			.credentialsProvider(credentials(settings))
			.region(region(settings))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build());
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder.build();
	}

	private static AwsCredentialsProvider credentials(S3Settings settings) {
		if (settings.accessKeyId() != null && settings.secretAccessKey() != null) {
			return StaticCredentialsProvider
				.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	private static Region region(S3Settings settings) {
		if (settings.region() != null) {
			return Region.of(settings.region());
		}
		try {
			return new DefaultAwsRegionProviderChain().getRegion();
		}
		catch (RuntimeException ex) {
			if (settings.endpoint() != null) {
				return Region.US_EAST_1; // S3-compatible services mostly ignore the region
			}
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"No region is set for the S3 storage and none is found in the environment: set the region", ex);
		}
	}

}
