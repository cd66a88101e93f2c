package dev.objectstorage.spi;

import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;

/**
 * Range helpers shared by backends that cut ranges themselves.
 */
public final class Ranges {

	private Ranges() {
	}

	/**
	 * The number of bytes a read with these options returns from an object of the given size, after
	 * checking that the range can be satisfied.
	 * @param path the path, for the error
	 * @param options the read options
	 * @param size the object's size
	 * @return the number of bytes from {@code options.offset()}
	 * @throws StorageException of kind {@link ErrorKind#RANGE_NOT_SATISFIABLE} if the range starts at
	 * or past the end of a non-empty object
	 */
	public static long length(String path, ReadOptions options, long size) {
		long offset = options.offset();
		if (size == 0) {
			return 0;
		}
		if (offset >= size) {
			throw notSatisfiable(path, offset, size);
		}
		long available = size - offset;
		return (options.length() < 0) ? available : Math.min(options.length(), available);
	}

	/**
	 * The error for a range that starts at or past the end.
	 * @param path the path
	 * @param offset the range's start
	 * @param size the object's size
	 * @return the error
	 */
	public static StorageException notSatisfiable(String path, long offset, long size) {
		return new StorageException(ErrorKind.RANGE_NOT_SATISFIABLE,
				"Range starting at " + offset + " is not satisfiable for " + path + " of " + size + " bytes",
				Operation.READ, path, null, false, null);
	}

}
