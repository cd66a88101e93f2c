package dev.objectstorage;

import org.jspecify.annotations.Nullable;

/**
 * Options of a read: a byte range, conditions on the object's entity tag, and the size of the
 * buffers to emit. Immutable; the {@code with...} methods return copies. Invalid values fail at once
 * with a {@link StorageException} of kind {@link ErrorKind#INVALID_INPUT} that names the argument.
 */
public final class ReadOptions {

	private static final ReadOptions DEFAULTS = new ReadOptions(0, -1, null, null, 0);

	private final long offset;

	private final long length;

	private final @Nullable String ifMatch;

	private final @Nullable String ifNoneMatch;

	private final int bufferSize;

	private ReadOptions(long offset, long length, @Nullable String ifMatch, @Nullable String ifNoneMatch, int bufferSize) {
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
		this.offset = offset;
		this.length = length;
		this.ifMatch = ifMatch;
		this.ifNoneMatch = ifNoneMatch;
		this.bufferSize = bufferSize;
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

	/**
	 * The first byte to read (0 for the start).
	 * @return this option's offset
	 */
	public long offset() {
		return this.offset;
	}

	/**
	 * How many bytes to read at most, or {@code -1} to read to the end.
	 * @return this option's length
	 */
	public long length() {
		return this.length;
	}

	/**
	 * Only read if the object's entity tag is this one (else {@code CONDITION_NOT_MATCH}).
	 * @return this option's ifMatch
	 */
	public @Nullable String ifMatch() {
		return this.ifMatch;
	}

	/**
	 * Only read if the object's entity tag is not this one (else {@code CONDITION_NOT_MATCH}).
	 * @return this option's ifNoneMatch
	 */
	public @Nullable String ifNoneMatch() {
		return this.ifNoneMatch;
	}

	/**
	 * The preferred size of emitted buffers in bytes, or {@code 0} for the backend's default.
	 * @return this option's bufferSize
	 */
	public int bufferSize() {
		return this.bufferSize;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ReadOptions that && this.offset == that.offset && this.length == that.length && java.util.Objects.equals(this.ifMatch, that.ifMatch) && java.util.Objects.equals(this.ifNoneMatch, that.ifNoneMatch) && this.bufferSize == that.bufferSize);
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.offset, this.length, this.ifMatch, this.ifNoneMatch, this.bufferSize);
	}

	@Override
	public String toString() {
		return "ReadOptions[offset=" + this.offset + ", length=" + this.length + ", ifMatch=" + this.ifMatch + ", ifNoneMatch=" + this.ifNoneMatch + ", bufferSize=" + this.bufferSize + "]";
	}

}
