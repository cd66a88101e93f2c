package dev.objectstorage.webdav;

/**
 * An HTTP answer the backend did not expect, before {@link WebDavErrors} turns it into a
 * {@link dev.objectstorage.StorageException}.
 */
final class DavStatusException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String method;

	private final int status;

	DavStatusException(String method, int status, String detail) {
		super(method + " answered " + status + (detail.isEmpty() ? "" : ": " + detail));
		this.method = method;
		this.status = status;
	}

	String method() {
		return this.method;
	}

	int status() {
		return this.status;
	}

}
