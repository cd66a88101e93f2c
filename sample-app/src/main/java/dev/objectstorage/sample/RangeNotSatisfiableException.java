package dev.objectstorage.sample;

/**
 * A {@code Range} request starts past the end of the file.
 */
class RangeNotSatisfiableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final long size;

	RangeNotSatisfiableException(String range, long size) {
		super("The range '" + range + "' is outside the file's " + size + " bytes");
		this.size = size;
	}

	long size() {
		return this.size;
	}

}
