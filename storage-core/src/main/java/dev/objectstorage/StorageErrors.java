package dev.objectstorage;

import org.jspecify.annotations.Nullable;

/**
 * Gives every error of a storage the storage's name, the operation and the path: a
 * {@link StorageException} keeps its kind and gains what it lacks, anything else becomes one of
 * kind {@link ErrorKind#UNEXPECTED} with it as its cause.
 */
final class StorageErrors {

	private final String name;

	StorageErrors(String name) {
		this.name = name;
	}

	/**
	 * The error with its context.
	 * @param ex the error
	 * @param operation the operation
	 * @param path the normalised path, or {@code null} before the path is known to be valid
	 * @return the error to report
	 */
	Throwable map(Throwable ex, Operation operation, @Nullable String path) {
		if (ex instanceof StorageException se) {
			return se.withContext(operation, path, this.name);
		}
		return new StorageException(ErrorKind.UNEXPECTED, String.valueOf(ex.getMessage()), operation, path, this.name,
				false, ex);
	}

	/**
	 * Fails a call whose argument is missing, with {@link ErrorKind#INVALID_INPUT} rather than a
	 * {@link NullPointerException}.
	 * @param argument the argument
	 * @param name its name
	 */
	static void requireNonNull(@Nullable Object argument, String name) {
		if (argument == null) {
			throw StorageException.invalidInput(name + " must not be null");
		}
	}

}
