package dev.objectstorage;

import org.jspecify.annotations.Nullable;

/**
 * Options of a read: a byte range, conditions on the object's entity tag, and the size of the
 * buffers to emit. Immutable; the {@code with...} methods return copies. Invalid values fail at once
 * with a {@link StorageException} of kind {@link ErrorKind#INVALID_INPUT} that names the argument.
 *
 * @param offset the first byte to read (0 for the start)
 * @param length how many bytes to read at most, or {@code -1} to read to the end
 * @param ifMatch only read if the object's entity tag is this one (else {@code CONDITION_NOT_MATCH})
 * @param ifNoneMatch only read if the object's entity tag is not this one (else {@code CONDITION_NOT_MATCH})
 * @param bufferSize the preferred size of emitted buffers in bytes, or {@code 0} for the backend's default
 */
public record ReadOptions(long offset, long length, @Nullable String ifMatch, @Nullable String ifNoneMatch,
		int bufferSize) {

	private static final ReadOptions DEFAULTS = new ReadOptions(0, -1, null, null, 0);

	public ReadOptions {
		if (offset < 0) {
			throw StorageException.invalidInput("offset must not be negative, was " + offset);
		}
		if (length < -1) {
			throw StorageException.invalidInput("length must be -1 (to the end) or not negative, was " + length);
		}
		if (length > 0 && offset > Long.MAX_VALUE - length) {
			throw StorageException
				.invalidInput("offset + length must not exceed Long.MAX_VALUE, was " + offset + " + " + length);
		}
		if (bufferSize < 0) {
			throw StorageException.invalidInput("bufferSize must be positive, was " + bufferSize);
		}
	}

	/**
	 * The whole object, no conditions, the backend's buffer size.
	 * @return the default options
	 */
	public static ReadOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * A byte range.
	 * @param offset the first byte, not negative
	 * @param length the number of bytes, not negative ({@code -1} for "to the end")
	 * @return the options
	 */
	public static ReadOptions range(long offset, long length) {
		return DEFAULTS.withRange(offset, length);
	}

	public ReadOptions withRange(long offset, long length) {
		return new ReadOptions(offset, length, this.ifMatch, this.ifNoneMatch, this.bufferSize);
	}

	public ReadOptions withIfMatch(@Nullable String etag) {
		return new ReadOptions(this.offset, this.length, etag, this.ifNoneMatch, this.bufferSize);
	}

	public ReadOptions withIfNoneMatch(@Nullable String etag) {
		return new ReadOptions(this.offset, this.length, this.ifMatch, etag, this.bufferSize);
	}

	/**
	 * Sets the preferred buffer size.
	 * @param bytes the size, at least 1
	 * @return a copy with the buffer size
	 */
	public ReadOptions withBufferSize(int bytes) {
		if (bytes <= 0) {
			throw StorageException.invalidInput("bufferSize must be positive, was " + bytes);
		}
		return new ReadOptions(this.offset, this.length, this.ifMatch, this.ifNoneMatch, bytes);
	}

	/**
	 * Whether these options ask for less than the whole object.
	 * @return {@code true} if a range is set
	 */
	public boolean hasRange() {
		return this.offset != 0 || this.length != -1;
	}

	/**
	 * The bufferSize, or the given default when none was set.
	 * @param defaultSize the backend's default
	 * @return the buffer size to use
	 */
	public int bufferSizeOr(int defaultSize) {
		return (this.bufferSize > 0) ? this.bufferSize : defaultSize;
	}

}
