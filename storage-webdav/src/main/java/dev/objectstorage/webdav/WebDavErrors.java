package dev.objectstorage.webdav;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import javax.xml.stream.XMLStreamException;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;

import static dev.objectstorage.spi.Causes.hasCause;
import static dev.objectstorage.spi.Causes.hasCauseNamed;

/**
 * The one place where WebDAV errors become {@link StorageException}s: HTTP status (and the method
 * that got it) to {@link ErrorKind}, network failures to temporary errors.
 */
final class WebDavErrors {

	private WebDavErrors() {
	}

	static StorageException map(Throwable error, Operation operation, String path) {
		Throwable ex = reactor.core.Exceptions.unwrap(error);
		if (ex instanceof StorageException storage) {
			return storage;
		}
		if (ex instanceof DavStatusException status) {
			return mapStatus(status, operation, path);
		}
		if (isTimeout(ex)) {
			return new StorageException(ErrorKind.TIMEOUT, "WebDAV request timed out: " + ex, operation, path, null,
					true, ex);
		}
		if (ex instanceof XMLStreamException) {
			// a multistatus body that breaks off: httpd stops streaming one when a provider fails midway
			return new StorageException(ErrorKind.UNEXPECTED, "Malformed or truncated WebDAV response: "
					+ ex.getMessage(), operation, path, null, true, ex);
		}
		if (ex instanceof ConnectException || ex instanceof IOException || hasCauseNamed(ex, "PrematureCloseException")
				|| hasCause(ex, IOException.class)) {
			return new StorageException(ErrorKind.UNEXPECTED, "WebDAV connection failed: " + ex, operation, path,
					null, true, ex);
		}
		return new StorageException(ErrorKind.UNEXPECTED, "Unexpected error: " + ex, operation, path, null, false, ex);
	}

	private static StorageException mapStatus(DavStatusException ex, Operation operation, String path) {
		int status = ex.status();
		String method = ex.method();
		String message = "WebDAV server: " + ex.getMessage() + " for " + path;
		ErrorKind kind;
		boolean temporary = false;
		switch (status) {
			case 404, 410 -> kind = ErrorKind.NOT_FOUND;
			case 401, 403 -> kind = ErrorKind.PERMISSION_DENIED;
			case 412 -> kind = ErrorKind.CONDITION_NOT_MATCH;
			case 416 -> kind = ErrorKind.RANGE_NOT_SATISFIABLE;
			case 405 -> {
				// MKCOL where a resource exists, MOVE onto a locked or odd target
				kind = method.equals("MKCOL") ? ErrorKind.ALREADY_EXISTS : ErrorKind.UNSUPPORTED;
			}
			case 400, 409 -> {
				if (status == 400 && (method.equals("MOVE") || method.equals("COPY"))) {
					// not a conflict: the server found the request malformed (nginx and Go's x/net/webdav answer
					// 400 to a Depth header other than infinity)
					kind = ErrorKind.UNEXPECTED;
					message += " (the server refused the request as malformed)";
				}
				else if (method.equals("MKCOL") || method.equals("PUT") || method.equals("MOVE") || method.equals("COPY")) {
					// the parent collection is missing (created just before: a concurrent delete removed it) or is a file
					kind = ErrorKind.ALREADY_EXISTS;
					message += " (an object exists where a parent collection should be, or the parent vanished)";
				}
				else if (status == 400 && (method.equals("GET") || method.equals("PROPFIND"))) {
					kind = ErrorKind.NOT_FOUND; // httpd: a path below a file
				}
				else {
					kind = ErrorKind.INVALID_INPUT;
				}
			}
			case 423 -> {
				kind = ErrorKind.UNEXPECTED;
				temporary = true;
				message += " (the resource is locked by another WebDAV client)";
			}
			case 408 -> {
				kind = ErrorKind.TIMEOUT;
				temporary = true;
			}
			case 429, 503 -> {
				kind = ErrorKind.RATE_LIMITED;
				temporary = true;
			}
			case 413 -> kind = ErrorKind.INVALID_INPUT;
			case 501 -> kind = ErrorKind.UNSUPPORTED;
			case 507 -> {
				kind = ErrorKind.UNEXPECTED;
				message += " (the server is out of space)";
			}
			default -> {
				kind = ErrorKind.UNEXPECTED;
				temporary = status >= 500;
			}
		}
		return new StorageException(kind, message, operation, path, null, temporary, ex);
	}

	private static boolean isTimeout(Throwable ex) {
		return ex instanceof TimeoutException || hasCause(ex, TimeoutException.class)
				|| hasCauseNamed(ex, "ReadTimeoutException") || hasCauseNamed(ex, "WriteTimeoutException")
				|| hasCauseNamed(ex, "ConnectTimeoutException") || hasCauseNamed(ex, "PoolAcquireTimeoutException");
	}

}
