package dev.objectstorage.sample;

import java.time.Duration;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error of the file API as an RFC 9457 problem (JSON with status, title, detail and the
 * storage error kind), never a stack trace.
 */
@RestControllerAdvice
class ErrorResponses {

	@ExceptionHandler(StorageException.class)
	ResponseEntity<ProblemDetail> storage(StorageException ex) {
		HttpStatus status = status(ex.kind());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setProperty("kind", ex.kind());
		if (ex.path() != null) {
			problem.setProperty("path", ex.path());
		}
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		if (ex.kind() == ErrorKind.RATE_LIMITED) {
			response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Duration.ofSeconds(1).toSeconds()));
		}
		return response.body(problem);
	}

	@ExceptionHandler(PayloadTooLargeException.class)
	ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
		problem.setProperty("kind", ErrorKind.INVALID_INPUT);
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close").body(problem);
	}

	/** A header the client sent that cannot be parsed: 400, logged at DEBUG at most (Spring's default). */
	@ExceptionHandler(MalformedHeaderException.class)
	ResponseEntity<ProblemDetail> malformedHeader(MalformedHeaderException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setProperty("kind", ErrorKind.INVALID_INPUT);
		problem.setProperty("header", ex.header());
		return ResponseEntity.badRequest().body(problem);
	}

	/**
	 * A content type the client sent that cannot be parsed where Spring parses it (the parts of a
	 * multipart upload): 400.
	 */
	@ExceptionHandler(InvalidMediaTypeException.class)
	ResponseEntity<ProblemDetail> malformedType(InvalidMediaTypeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"A Content-Type of the request is malformed: "
						+ MalformedHeaderException.printable(String.valueOf(ex.getMediaType())));
		problem.setProperty("kind", ErrorKind.INVALID_INPUT);
		problem.setProperty("header", HttpHeaders.CONTENT_TYPE);
		return ResponseEntity.badRequest().body(problem);
	}

	/** The client (or the server's shutdown) closed the connection mid-upload: nobody reads this answer. */
	@ExceptionHandler(CompleteBodies.IncompleteUploadException.class)
	ResponseEntity<ProblemDetail> incomplete(CompleteBodies.IncompleteUploadException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setProperty("kind", ErrorKind.INVALID_INPUT);
		return ResponseEntity.badRequest().body(problem);
	}

	@ExceptionHandler(RangeNotSatisfiableException.class)
	ResponseEntity<ProblemDetail> range(RangeNotSatisfiableException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
				ex.getMessage());
		problem.setProperty("kind", ErrorKind.RANGE_NOT_SATISFIABLE);
		return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.header(HttpHeaders.CONTENT_RANGE, "bytes */" + ex.size())
			.body(problem);
	}

	static HttpStatus status(ErrorKind kind) {
		return switch (kind) {
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case ALREADY_EXISTS -> HttpStatus.CONFLICT;
			case CONDITION_NOT_MATCH -> HttpStatus.PRECONDITION_FAILED;
			case RANGE_NOT_SATISFIABLE -> HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
			case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
			case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
			case UNSUPPORTED -> HttpStatus.NOT_IMPLEMENTED;
			case RATE_LIMITED -> HttpStatus.SERVICE_UNAVAILABLE;
			case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
			case CONFIG_INVALID, UNEXPECTED -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
	}

}
