package dev.objectstorage.s3;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static dev.objectstorage.spi.Causes.hasCause;
import static dev.objectstorage.spi.Causes.hasCauseNamed;

/**
 * The one place where S3 errors become {@link StorageException}s: HTTP status and S3 error code to
 * {@link ErrorKind}, plus whether a retry may help.
 */
final class S3Errors {

	private S3Errors() {
	}

	static StorageException map(Throwable error, Operation operation, @Nullable String path) {
		Throwable ex = unwrap(error);
		if (ex instanceof StorageException se) {
			return se;
		}
		if (ex instanceof SdkServiceException service) {
			return mapService(service, operation, path);
		}
		if (isTimeout(ex)) {
			return new StorageException(ErrorKind.TIMEOUT, "S3 request timed out: " + ex.getMessage(), operation,
					path, null, true, ex);
		}
		if (ex instanceof SdkClientException && String.valueOf(ex.getMessage()).startsWith("Unable to load credentials")) {
			// the SDK's message lists every provider it tried, over a thousand characters
			return new StorageException(ErrorKind.CONFIG_INVALID, "No AWS credentials were found: set an access key "
					+ "in the S3 settings, or make credentials available to the AWS default chain "
					+ "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, a web identity or instance role)",
					operation, path, null, false, ex);
		}
		if (ex instanceof SdkClientException || ex instanceof IOException) {
			boolean temporary = hasCause(ex, IOException.class) || ex instanceof IOException;
			return new StorageException(ErrorKind.UNEXPECTED, "S3 client error: " + ex.getMessage(), operation, path,
					null, temporary, ex);
		}
		return new StorageException(ErrorKind.UNEXPECTED, "Unexpected error: " + ex, operation, path, null, false, ex);
	}

	private static StorageException mapService(SdkServiceException ex, Operation operation, @Nullable String path) {
		int status = ex.statusCode();
		String code = (ex instanceof AwsServiceException aws && aws.awsErrorDetails() != null)
				? aws.awsErrorDetails().errorCode() : null;
		String message = "S3 answered " + status + ((code != null) ? " " + code : "")
				+ ((path != null) ? " for " + path : "");
		ErrorKind kind;
		boolean temporary = false;
		if ("NoSuchBucket".equals(code)) {
			kind = ErrorKind.CONFIG_INVALID;
			message += ": the bucket does not exist";
		}
		else if (status == 404) {
			kind = ErrorKind.NOT_FOUND;
		}
		else if (status == 403 || status == 401) {
			kind = ErrorKind.PERMISSION_DENIED;
		}
		else if (status == 412 || status == 304) {
			kind = ErrorKind.CONDITION_NOT_MATCH;
		}
		else if (status == 409 && "ConditionalRequestConflict".equals(code)) {
			kind = ErrorKind.CONDITION_NOT_MATCH;
			temporary = true;
		}
		else if (status == 416 || "InvalidRange".equals(code)) {
			kind = ErrorKind.RANGE_NOT_SATISFIABLE;
		}
		else if (status == 429 || "SlowDown".equals(code) || "Throttling".equals(code)
				|| "RequestLimitExceeded".equals(code)) {
			kind = ErrorKind.RATE_LIMITED;
			temporary = true;
		}
		else if (status == 503) {
			kind = ErrorKind.RATE_LIMITED;
			temporary = true;
		}
		else if (status == 501) {
			kind = ErrorKind.UNSUPPORTED;
		}
		else if (status == 408 || "RequestTimeout".equals(code)) {
			kind = ErrorKind.TIMEOUT;
			temporary = true;
		}
		else if (status >= 500) {
			kind = ErrorKind.UNEXPECTED;
			temporary = true;
		}
		else if (status == 400) {
			kind = ErrorKind.INVALID_INPUT;
		}
		else {
			kind = ErrorKind.UNEXPECTED;
		}
		return new StorageException(kind, message, operation, path, null, temporary, ex);
	}

	static Throwable unwrap(Throwable error) {
		Throwable ex = error;
		while ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
			ex = ex.getCause();
		}
		return ex;
	}

	static boolean isStatus(Throwable error, int status) {
		return unwrap(error) instanceof SdkServiceException service && service.statusCode() == status;
	}

	private static boolean isTimeout(Throwable ex) {
		return ex instanceof ApiCallTimeoutException || ex instanceof ApiCallAttemptTimeoutException
				|| ex instanceof TimeoutException || hasCause(ex, TimeoutException.class)
				|| hasCauseNamed(ex, "ReadTimeoutException") || hasCauseNamed(ex, "WriteTimeoutException");
	}

}
