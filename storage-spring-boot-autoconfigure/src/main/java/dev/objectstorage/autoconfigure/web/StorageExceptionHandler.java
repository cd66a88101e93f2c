package dev.objectstorage.autoconfigure.web;

import java.time.Duration;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Turns a {@link StorageException} that reaches an annotated controller (WebFlux or Servlet MVC)
 * into an RFC 9457 problem ({@code application/problem+json}). It has the lowest precedence, so an
 * {@code @ExceptionHandler} of the application (in the controller or in its own
 * {@code @ControllerAdvice}) wins.
 * <p>
 * Status by {@link ErrorKind}: {@code NOT_FOUND} 404, {@code ALREADY_EXISTS} 409,
 * {@code CONDITION_NOT_MATCH} 412, {@code RANGE_NOT_SATISFIABLE} 416, {@code INVALID_INPUT} 400,
 * {@code UNSUPPORTED} 501, {@code RATE_LIMITED} 503 with {@code Retry-After}, {@code TIMEOUT} 504,
 * everything else 500. {@code PERMISSION_DENIED} is 500, not 403: it means the storage refused the
 * application's own credentials (or a path outside its root), which the HTTP client can neither
 * cause nor fix; an application that maps its users' rights onto storage permissions can answer 403
 * with its own handler.
 * <p>
 * The body has {@code status}, {@code title}, a fixed {@code detail} per kind, and the properties
 * {@code kind} (the {@link ErrorKind} name) and {@code path} (the object's path, where known). The
 * exception's message is not sent, as messages of errors mapped from a backend may name a
 * filesystem location, an endpoint or a bucket; the one exception is an {@code INVALID_INPUT} error
 * without a cause, which the library raises itself when it checks a path or an option, and whose
 * message names only the object path and the rule it broke.
 * <p>
 * Logging (category {@code dev.objectstorage.autoconfigure.web.StorageExceptionHandler}): client
 * errors (4xx, the expected outcomes of conditional and range requests among them) at DEBUG;
 * temporary errors and the other 5xx at WARN without a stack trace; {@code UNEXPECTED} errors that
 * are not temporary at ERROR with the stack trace.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class StorageExceptionHandler {

	private static final Log logger = LogFactory.getLog(StorageExceptionHandler.class);

	private final Duration retryAfter;

	/**
	 * Creates a handler.
	 * @param retryAfter the value of the {@code Retry-After} header of 503 answers to
	 * {@code RATE_LIMITED} errors (rounded up to whole seconds)
	 */
	public StorageExceptionHandler(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	/**
	 * Answers a storage error with a problem.
	 * @param ex the error
	 * @return the answer
	 */
	@ExceptionHandler(StorageException.class)
	public ResponseEntity<ProblemDetail> handleStorageException(StorageException ex) {
		HttpStatus status = status(ex.kind());
		log(ex, status);
		ProblemDetail problem = problem(ex, status);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		if (ex.kind() == ErrorKind.RATE_LIMITED) {
			long seconds = Math.max(1, this.retryAfter.toSeconds() + ((this.retryAfter.toNanosPart() > 0) ? 1 : 0));
			response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
		}
		return response.body(problem);
	}

	/**
	 * The HTTP status of an error kind.
	 * @param kind the kind
	 * @return the status
	 */
	public static HttpStatus status(ErrorKind kind) {
		return switch (kind) {
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case ALREADY_EXISTS -> HttpStatus.CONFLICT;
			case CONDITION_NOT_MATCH -> HttpStatus.PRECONDITION_FAILED;
			case RANGE_NOT_SATISFIABLE -> HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
			case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
			case UNSUPPORTED -> HttpStatus.NOT_IMPLEMENTED;
			case RATE_LIMITED -> HttpStatus.SERVICE_UNAVAILABLE;
			case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
			// the storage refused the application's credentials: not the HTTP client's fault
			case PERMISSION_DENIED, CONFIG_INVALID, UNEXPECTED -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
	}

	/**
	 * The problem for an error: a fixed detail per kind, the {@code kind} and {@code path}
	 * properties, never the message of an error mapped from a backend.
	 * @param ex the error
	 * @param status its status
	 * @return the problem
	 */
	protected ProblemDetail problem(StorageException ex, HttpStatus status) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(ex));
		problem.setProperty("kind", ex.kind().name());
		if (ex.path() != null) {
			problem.setProperty("path", ex.path());
		}
		return problem;
	}

	private static String detail(StorageException ex) {
		return switch (ex.kind()) {
			case NOT_FOUND -> "The object does not exist.";
			case ALREADY_EXISTS -> "An object is in the way of the request.";
			case CONDITION_NOT_MATCH -> "A condition of the request does not hold for the object.";
			case RANGE_NOT_SATISFIABLE -> "The requested range starts past the end of the object.";
			case INVALID_INPUT -> (ex.getCause() == null && ex.getMessage() != null) ? ex.getMessage()
					: "The storage refused the request as invalid.";
			case UNSUPPORTED -> "The storage does not support this request.";
			case RATE_LIMITED -> "The storage is busy. Try again later.";
			case TIMEOUT -> "The storage did not answer in time.";
			case PERMISSION_DENIED -> "The storage refused access to the application.";
			case CONFIG_INVALID -> "The storage is not configured correctly.";
			case UNEXPECTED -> "The storage failed.";
		};
	}

	private static void log(StorageException ex, HttpStatus status) {
		if (status.is4xxClientError()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Storage error answered with " + status.value() + ": " + ex);
			}
		}
		else if (ex.kind() == ErrorKind.UNEXPECTED && !ex.isTemporary()) {
			logger.error("Storage error answered with " + status.value() + ": " + ex, ex);
		}
		else {
			logger.warn("Storage error answered with " + status.value() + ": " + ex);
		}
	}

}
