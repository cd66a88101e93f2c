package dev.objectstorage;

import org.jspecify.annotations.Nullable;

/**
 * The one exception of this library. It says what kind of error happened ({@link #kind()}),
 * whether retrying may help ({@link #isTemporary()}), and where: the operation, the path and the
 * storage's name. Messages never contain credentials.
 */
public class StorageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final ErrorKind kind;

	private final boolean temporary;

	private final @Nullable Operation operation;

	private final @Nullable String path;

	private final @Nullable String storageName;

	public StorageException(ErrorKind kind, String message) {
		this(kind, message, null, null, null, kind.isTemporaryByDefault(), null);
	}

	public StorageException(ErrorKind kind, String message, @Nullable Throwable cause) {
		this(kind, message, null, null, null, kind.isTemporaryByDefault(), cause);
	}

	public StorageException(ErrorKind kind, String message, @Nullable Operation operation, @Nullable String path,
			@Nullable String storageName, boolean temporary, @Nullable Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.temporary = temporary;
		this.operation = operation;
		this.path = path;
		this.storageName = storageName;
	}

	/** Shortcut for an {@link ErrorKind#INVALID_INPUT} error. */
	public static StorageException invalidInput(String message) {
		return new StorageException(ErrorKind.INVALID_INPUT, message);
	}

	/** Shortcut for a {@link ErrorKind#NOT_FOUND} error. */
	public static StorageException notFound(Operation operation, String path) {
		return new StorageException(ErrorKind.NOT_FOUND, "Object not found: " + path, operation, path, null, false,
				null);
	}

	/** Shortcut for a {@link ErrorKind#CONDITION_NOT_MATCH} error. */
	public static StorageException conditionNotMatch(Operation operation, String path, String what) {
		return new StorageException(ErrorKind.CONDITION_NOT_MATCH, "Condition not met for " + path + ": " + what,
				operation, path, null, false, null);
	}

	/**
	 * The kind of error.
	 * @return never {@code null}
	 */
	public ErrorKind kind() {
		return this.kind;
	}

	/**
	 * Whether the same operation may succeed if tried again (a timeout, a throttled request, a
	 * server error).
	 * @return {@code true} if a retry may help
	 */
	public boolean isTemporary() {
		return this.temporary;
	}

	/**
	 * The operation that failed.
	 * @return the operation, or {@code null} if the error was raised outside an operation
	 */
	public @Nullable Operation operation() {
		return this.operation;
	}

	/**
	 * The normalised path the operation was about.
	 * @return the path, or {@code null} if the operation has none (or the path was invalid)
	 */
	public @Nullable String path() {
		return this.path;
	}

	/**
	 * The name of the storage the operation ran on.
	 * @return the name, or {@code null} if raised by a backend used on its own
	 */
	public @Nullable String storageName() {
		return this.storageName;
	}

	/**
	 * Returns this error with the operation, path and storage name filled in where it lacks them.
	 * @param operation the operation
	 * @param path the path (may be {@code null})
	 * @param storageName the storage's name
	 * @return this exception if nothing was missing, otherwise a copy with the same cause and stack trace
	 */
	public StorageException withContext(Operation operation, @Nullable String path, String storageName) {
		if (this.operation != null && this.storageName != null && (this.path != null || path == null)) {
			return this;
		}
		StorageException copy = new StorageException(this.kind, getMessage(),
				(this.operation != null) ? this.operation : operation, (this.path != null) ? this.path : path,
				(this.storageName != null) ? this.storageName : storageName, this.temporary, getCause());
		copy.setStackTrace(getStackTrace());
		for (Throwable suppressed : getSuppressed()) {
			copy.addSuppressed(suppressed);
		}
		return copy;
	}

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder(getClass().getName()).append(": [").append(this.kind);
		if (this.temporary) {
			sb.append(", temporary");
		}
		if (this.storageName != null) {
			sb.append(", storage=").append(this.storageName);
		}
		if (this.operation != null) {
			sb.append(", operation=").append(this.operation.id());
		}
		if (this.path != null) {
			sb.append(", path=").append(this.path);
		}
		return sb.append("] ").append(getMessage()).toString();
	}

}
