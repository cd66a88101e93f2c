package dev.objectstorage.sample;

import dev.objectstorage.ErrorKind;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The sample's own errors as RFC 9457 problems (JSON with status, title, detail and the storage
 * error kind), never a stack trace. {@link dev.objectstorage.StorageException}s need no handler
 * here: the starter answers them (404 for a missing file, 412 for a failed condition, ...; see
 * {@code storage.web.problem-details.enabled}).
 */
@RestControllerAdvice
class ErrorResponses {

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

}
