package dev.objectstorage.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;

/**
 * The one place where filesystem errors become {@link StorageException}s.
 */
final class FsErrors {

	private FsErrors() {
	}

	static StorageException map(Throwable ex, Operation operation, String path) {
		if (ex instanceof StorageException se) {
			return se;
		}
		if (ex instanceof UncheckedIOException unchecked) {
			ex = unchecked.getCause();
		}
		ErrorKind kind = ErrorKind.UNEXPECTED;
		String message;
		if (ex instanceof NoSuchFileException) {
			kind = ErrorKind.NOT_FOUND;
			message = "Object not found: " + path;
		}
		else if (ex instanceof AccessDeniedException) {
			kind = ErrorKind.PERMISSION_DENIED;
			message = "Access denied by the filesystem: " + path;
		}
		else if (ex instanceof FileAlreadyExistsException || ex instanceof DirectoryNotEmptyException
				|| ex instanceof NotDirectoryException) {
			kind = ErrorKind.ALREADY_EXISTS;
			message = "A file or directory in the way of " + path
					+ " exists (the filesystem cannot hold both an object 'a' and an object 'a/b')";
		}
		else if (ex instanceof FileSystemException fse && fse.getReason() != null
				&& fse.getReason().contains("File name too long")) {
			kind = ErrorKind.INVALID_INPUT;
			message = "Name too long for the filesystem: " + path;
		}
		else if (ex instanceof FileSystemException fse && fse.getReason() != null
				&& fse.getReason().contains("Not a directory")) {
			kind = ErrorKind.ALREADY_EXISTS;
			message = "An object is in the way of " + path + " (the filesystem cannot hold both 'a' and 'a/b')";
		}
		else if (ex instanceof IOException io) {
			message = "I/O error on " + path + ": " + io.getMessage();
		}
		else {
			message = "Unexpected error on " + path + ": " + ex;
		}
		return new StorageException(kind, message, operation, path, null, false, ex);
	}

}
