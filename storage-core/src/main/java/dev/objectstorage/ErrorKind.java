package dev.objectstorage;

/**
 * What went wrong, independent of the backend. Every backend maps its service's errors onto
 * these kinds, so callers can react the same way on every store.
 */
public enum ErrorKind {

	/** The object (or the source of a copy or rename) does not exist. */
	NOT_FOUND(false),

	/** The target already exists and the operation does not overwrite. */
	ALREADY_EXISTS(false),

	/** A condition ({@code ifMatch}, {@code ifNoneMatch}, {@code ifNotExists}) did not hold. */
	CONDITION_NOT_MATCH(false),

	/** A range read starts at or past the end of a non-empty object. */
	RANGE_NOT_SATISFIABLE(false),

	/** The service refused access, or a path resolves outside the storage's root. */
	PERMISSION_DENIED(false),

	/** An argument or option is invalid (a malformed path, a negative offset, ...). */
	INVALID_INPUT(false),

	/**
	 * The storage is configured wrongly, as found when the backend connects or operates (a bucket
	 * that does not exist, a root that is a file, refused credentials, an unknown host key). A value
	 * that settings reject when they are built is an {@link InvalidSettingException} instead.
	 */
	CONFIG_INVALID(false),

	/** The backend does not support the operation or option (see {@link Capabilities}). */
	UNSUPPORTED(false),

	/** The service asked the client to slow down. Temporary. */
	RATE_LIMITED(true),

	/** The operation, or a gap in a stream, took longer than allowed. Temporary. */
	TIMEOUT(true),

	/** Anything else: an I/O error, a server error, a bug. */
	UNEXPECTED(false);

	private final boolean temporaryByDefault;

	ErrorKind(boolean temporaryByDefault) {
		this.temporaryByDefault = temporaryByDefault;
	}

	/**
	 * Whether an error of this kind is temporary unless the backend says otherwise.
	 * @return {@code true} for {@link #RATE_LIMITED} and {@link #TIMEOUT}
	 */
	public boolean isTemporaryByDefault() {
		return this.temporaryByDefault;
	}

}
