package dev.objectstorage;

import dev.objectstorage.spi.ObjectPaths;
import dev.objectstorage.spi.StorageBackend;

/**
 * Normalises the paths and prefixes a storage is given (see {@link ObjectPaths}) and refuses those
 * its backend cannot hold: segments ending in {@code .} where the backend drops the dot (see
 * {@link Capabilities#segmentsEndingInDot()}). Failures are {@link StorageException}s of kind
 * {@link ErrorKind#INVALID_INPUT}.
 */
final class PathChecks {

	private final boolean segmentsEndingInDot;

	private final StorageBackend backend;

	PathChecks(Capabilities capabilities, StorageBackend backend) {
		this.segmentsEndingInDot = capabilities.segmentsEndingInDot();
		this.backend = backend;
	}

	/** A normalised object path the backend can hold. */
	String object(String path) {
		return checkSegments(ObjectPaths.object(path));
	}

	/** A normalised object path the backend can hold, named after the argument it was given as. */
	String object(String path, String argument) {
		return checkSegments(ObjectPaths.object(path, argument));
	}

	/** A normalised prefix, whose complete segments the backend can hold. */
	String prefix(String prefix) {
		String p = ObjectPaths.prefix(prefix);
		int end = this.segmentsEndingInDot ? -1 : p.lastIndexOf('/');
		if (end > 0) {
			checkSegments(p.substring(0, end)); // the last segment of a prefix may be incomplete
		}
		return p;
	}

	/** A listing's {@code startAfter} as the backend compares it: without leading slashes. */
	static String startAfter(String startAfter) {
		int i = 0;
		while (i < startAfter.length() && startAfter.charAt(i) == '/') {
			i++;
		}
		return startAfter.substring(i);
	}

	private String checkSegments(String path) {
		if (!this.segmentsEndingInDot) {
			for (int i = 0; i < path.length(); i++) {
				if (path.charAt(i) == '.' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
					throw StorageException.invalidInput("'" + path + "' has a segment that ends in '.', which "
							+ this.backend.scheme() + " cannot hold (it drops the dot)");
				}
			}
		}
		return path;
	}

}
