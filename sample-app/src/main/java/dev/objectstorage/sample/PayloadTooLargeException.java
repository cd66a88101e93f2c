package dev.objectstorage.sample;

/**
 * An upload is larger than {@code sample.max-upload-size}.
 */
class PayloadTooLargeException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	PayloadTooLargeException(long limit) {
		super("The upload is larger than the limit of " + limit + " bytes (sample.max-upload-size)");
	}

}
