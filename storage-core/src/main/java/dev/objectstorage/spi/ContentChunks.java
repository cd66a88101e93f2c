package dev.objectstorage.spi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Cuts a write's content into chunks of bytes, for services that upload large objects in parts (S3
 * multipart uploads, Azure blocks): a first chunk of up to {@code firstSize} bytes, then chunks of
 * {@code chunkSize} bytes, the last one shorter (and empty only for empty content). A chunk is held
 * back until more bytes show that it is not the last, so the first chunk tells whether one request
 * carries the whole object. Each chunk is a copy (one per byte): every source buffer is released as
 * soon as it is read, also on error and cancellation.
 * <p>
 * Written by hand: Spring's {@code DataBufferUtils.join} collects a whole stream, and Reactor's
 * {@code buffer} operators count elements, not bytes.
 */
public final class ContentChunks {

	/** The capacity a chunk starts with when the content's length is not known. */
	private static final int INITIAL_CAPACITY = 16 * 1024;

	private ContentChunks() {
	}

	/**
	 * Cuts content into chunks, lazily: one source buffer is requested at a time.
	 * @param content the content; its buffers are released as they are copied
	 * @param firstSize the size of the first chunk
	 * @param chunkSize the size of the following chunks
	 * @param contentLength the content's length if known ({@code -1} otherwise), to size the first
	 * chunk's array without growing it
	 * @return the chunks, the last one marked {@link Chunk#last()}
	 */
	public static Flux<Chunk> cut(Flux<DataBuffer> content, int firstSize, int chunkSize, long contentLength) {
		int initial = (int) Math.min(Math.max(contentLength, INITIAL_CAPACITY), firstSize);
		return Flux.defer(() -> {
			Cutter cutter = new Cutter(firstSize, chunkSize, initial);
			return content.concatMapIterable(cutter::add, 1).concatWith(Mono.fromSupplier(cutter::finish));
		}).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
	}

	/**
	 * One chunk of a write's content.
	 *
	 * @param index the chunk's position, from 0
	 * @param bytes the array that holds the chunk's bytes from index 0 (owned by the chunk)
	 * @param size how many bytes of the array belong to the chunk
	 * @param last whether this is the content's last chunk
	 */
	public record Chunk(int index, byte[] bytes, int size, boolean last) {

		/**
		 * The chunk's bytes as a buffer over its array, not a copy.
		 * @return the buffer, positioned at 0 with {@code size} bytes remaining
		 */
		public ByteBuffer byteBuffer() {
			return ByteBuffer.wrap(this.bytes, 0, this.size);
		}

	}

	/** The cutting itself. Not thread-safe; Reactor calls it serially. */
	private static final class Cutter {

		private final int chunkSize;

		private byte[] current;

		private int capacity;

		private int filled;

		private int index;

		Cutter(int firstSize, int chunkSize, int initialCapacity) {
			this.chunkSize = chunkSize;
			this.capacity = firstSize;
			this.current = new byte[Math.min(initialCapacity, firstSize)];
		}

		List<Chunk> add(DataBuffer buffer) {
			List<Chunk> full = List.of();
			try {
				int remaining = buffer.readableByteCount();
				while (remaining > 0) {
					if (this.filled == this.capacity) {
						if (full.isEmpty()) {
							full = new ArrayList<>(2);
						}
						full.add(new Chunk(this.index++, this.current, this.filled, false));
						this.capacity = this.chunkSize;
						this.current = new byte[this.chunkSize];
						this.filled = 0;
					}
					int n = Math.min(remaining, this.capacity - this.filled);
					if (this.filled + n > this.current.length) {
						this.current = Arrays.copyOf(this.current,
								(int) Math.min(this.capacity, Math.max((long) this.current.length * 2, this.filled + n)));
					}
					buffer.read(this.current, this.filled, n);
					this.filled += n;
					remaining -= n;
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			return full;
		}

		/** The last chunk: what is left. */
		Chunk finish() {
			if (this.index > 0 && this.filled == 0) {
				throw new StorageException(ErrorKind.UNEXPECTED, "no bytes left for the last chunk");
			}
			return new Chunk(this.index, this.current, this.filled, true);
		}

	}

}
