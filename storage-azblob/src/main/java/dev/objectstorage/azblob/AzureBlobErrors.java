package dev.objectstorage.azblob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

import static dev.objectstorage.spi.Causes.hasCause;
import static dev.objectstorage.spi.Causes.hasCauseNamed;

/**
 * The one place where Azure Blob Storage errors become {@link StorageException}s: HTTP status and
 * Azure error code ({@code x-ms-error-code}) to {@link ErrorKind}, plus whether a retry may help.
 * Messages name the status, the code and the path, never a credential.
 */
final class AzureBlobErrors {

	private static final HttpHeaderName ERROR_CODE = HttpHeaderName.fromString("x-ms-error-code");

	private AzureBlobErrors() {
	}

	static StorageException map(Throwable error, Operation operation, String path) {
		Throwable ex = unwrap(error);
		if (ex instanceof StorageException se) {
			return se;
		}
		if (ex instanceof HttpResponseException http) {
			return mapService(http, operation, path);
		}
		if (isTimeout(ex)) {
			return new StorageException(ErrorKind.TIMEOUT, "Azure Blob request timed out: " + ex.getMessage(), operation,
					path, null, true, ex);
		}
		if (ex instanceof IOException || ex instanceof UncheckedIOException || hasCause(ex, IOException.class)) {
			return new StorageException(ErrorKind.UNEXPECTED, "Azure Blob I/O error: " + ex.getMessage(), operation,
					path, null, true, ex);
		}
		return new StorageException(ErrorKind.UNEXPECTED, "Unexpected error: " + ex, operation, path, null, false, ex);
	}

	private static StorageException mapService(HttpResponseException ex, Operation operation, String path) {
		int status = (ex.getResponse() != null) ? ex.getResponse().getStatusCode() : 0;
		String code = errorCode(ex);
		String message = "Azure Blob Storage answered " + status + ((code != null) ? " " + code : "") + " for " + path;
		ErrorKind kind;
		boolean temporary = false;
		if (BlobErrorCode.CONTAINER_NOT_FOUND.toString().equals(code)
				|| BlobErrorCode.CONTAINER_BEING_DELETED.toString().equals(code)
				|| BlobErrorCode.CONTAINER_DISABLED.toString().equals(code)) {
			kind = ErrorKind.CONFIG_INVALID;
			message += ": the container does not exist or cannot be used";
		}
		else if (status == 404) {
			kind = ErrorKind.NOT_FOUND;
		}
		else if (status == 401 || status == 403) {
			kind = ErrorKind.PERMISSION_DENIED;
		}
		else if (status == 412 || status == 304) {
			kind = ErrorKind.CONDITION_NOT_MATCH;
		}
		else if (status == 409 && BlobErrorCode.BLOB_ALREADY_EXISTS.toString().equals(code)) {
			// the answer to If-None-Match: * on an existing blob
			kind = ErrorKind.CONDITION_NOT_MATCH;
		}
		else if (status == 416 || BlobErrorCode.INVALID_RANGE.toString().equals(code)) {
			kind = ErrorKind.RANGE_NOT_SATISFIABLE;
		}
		else if (status == 429 || status == 503 || BlobErrorCode.SERVER_BUSY.toString().equals(code)) {
			kind = ErrorKind.RATE_LIMITED;
			temporary = true;
		}
		else if (status == 408 || status == 504 || BlobErrorCode.OPERATION_TIMED_OUT.toString().equals(code)) {
			kind = ErrorKind.TIMEOUT;
			temporary = true;
		}
		else if (status == 501) {
			kind = ErrorKind.UNSUPPORTED;
		}
		else if (status >= 500) {
			kind = ErrorKind.UNEXPECTED;
			temporary = true;
		}
		else if (status == 400 && "InvalidBlockList".equals(code)) {
			// a concurrent upload of the same blob committed first, and Azure dropped this upload's blocks
			kind = ErrorKind.UNEXPECTED;
			temporary = true;
			message += ": the staged blocks are gone (another upload of the blob committed meanwhile)";
		}
		else if (status == 400) {
			kind = ErrorKind.INVALID_INPUT;
		}
		else {
			kind = ErrorKind.UNEXPECTED;
		}
		return new StorageException(kind, message, operation, path, null, temporary, ex);
	}

	/** The Azure error code, from the body or (for HEAD requests, which have none) the header. */
	static @Nullable String errorCode(Throwable error) {
		Throwable ex = unwrap(error);
		if (ex instanceof BlobStorageException blob && blob.getErrorCode() != null) {
			return blob.getErrorCode().toString();
		}
		if (ex instanceof HttpResponseException http && http.getResponse() != null) {
			return http.getResponse().getHeaders().getValue(ERROR_CODE);
		}
		return null;
	}

	static boolean isStatus(Throwable error, int status) {
		return unwrap(error) instanceof HttpResponseException http && http.getResponse() != null
				&& http.getResponse().getStatusCode() == status;
	}

	/** A 404 about the blob itself (not its container). */
	static boolean isBlobNotFound(Throwable error) {
		return isStatus(error, 404) && !BlobErrorCode.CONTAINER_NOT_FOUND.toString().equals(errorCode(error));
	}

	static Throwable unwrap(Throwable error) {
		Throwable ex = Exceptions.unwrap(error);
		while ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
			ex = ex.getCause();
		}
		return ex;
	}

	private static boolean isTimeout(Throwable ex) {
		return ex instanceof TimeoutException || hasCause(ex, TimeoutException.class)
				|| hasCauseNamed(ex, "ReadTimeoutException") || hasCauseNamed(ex, "WriteTimeoutException")
				|| hasCauseNamed(ex, "HttpTimeoutException");
	}

}
