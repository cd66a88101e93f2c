package dev.objectstorage.spi;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferWrapper;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Buffers whose memory is handed over with them. A backend must copy the bytes of a buffer it
 * keeps, since a producer may reuse the memory of a buffer once it is released (and a heap buffer's
 * array even before). A handed-over buffer is a fresh array that its producer (the library's own
 * {@code openOutputStream}, which has already made the one copy of the caller's bytes) never touches
 * again, so a backend that keeps bytes in heap arrays may keep this one as it is.
 * <p>
 * Written by hand: Spring's buffers do not say who else may write to their memory.
 */
public final class HandedOver {

	private static final DefaultDataBufferFactory FACTORY = DefaultDataBufferFactory.sharedInstance;

	private HandedOver() {
	}

	/**
	 * A buffer of all of {@code bytes}, handed over: the caller gives up the array.
	 * @param bytes a fresh array that nothing else holds or will write to
	 * @return the buffer, readable from the array's start to its end
	 */
	public static DataBuffer wrap(byte[] bytes) {
		return new Buffer(bytes);
	}

	/**
	 * The array of a handed-over buffer whose readable bytes are exactly that array, which the
	 * caller may then keep instead of a copy; {@code null} for any other buffer (copy it).
	 * @param buffer a buffer of a write's content
	 * @return the array to keep, or {@code null}
	 */
	public static byte @Nullable [] array(DataBuffer buffer) {
		if (buffer instanceof Buffer handed && handed.readPosition() == 0
				&& handed.readableByteCount() == handed.bytes.length) {
			return handed.bytes;
		}
		return null;
	}

	private static final class Buffer extends DataBufferWrapper {

		private final byte[] bytes;

		Buffer(byte[] bytes) {
			super(FACTORY.wrap(bytes));
			this.bytes = bytes;
		}

	}

}
