package dev.objectstorage.spi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Cuts a write's content into chunks of bytes, for services that upload large objects in parts (S3
 * multipart uploads, Azure blocks), and decides whether one request carries the whole object.
 * <p>
 * {@link #cut} makes a first chunk of up to {@code firstSize} bytes, then chunks of
 * {@code chunkSize} bytes, the last one shorter (and empty only for empty content). A chunk is held
 * back until more bytes show that it is not the last. Each chunk is a copy (one per byte): every
 * source buffer is released as soon as it is read, also on error and cancellation (a producer may
 * reuse the memory of a released buffer). A chunk is made of one array or of a few, never copied
 * again: while the content's length is not known, the first chunk's arrays start small and each new
 * one is about as large as the chunk so far, so that a small write holds little memory and a large
 * one is not copied from array to array as it grows; the following chunks, of a content known to be
 * longer than the first, take one array of {@code chunkSize} bytes each.
 * <p>
 * {@link #wholeOrParts} then holds the first chunks until the content ends or they reach a limit,
 * and hands them to one request or to an upload in parts.
 * <p>
 * Written by hand: Spring's {@code DataBufferUtils.join} collects a whole stream, and Reactor's
 * {@code buffer} operators count elements, not bytes.
 */
public final class ContentChunks {

	/** The size of a chunk's first array when the content's length is not known. */
	private static final int INITIAL_CAPACITY = 16 * 1024;

	/** The largest array of a growing chunk, unless a source buffer or the chunk size is larger. */
	private static final int MAX_SEGMENT = 1024 * 1024;

	private ContentChunks() {
	}

	/**
	 * Cuts content into chunks, lazily: one source buffer is requested at a time.
	 * @param content the content; its buffers are released as they are copied
	 * @param firstSize the size of the first chunk
	 * @param chunkSize the size of the following chunks
	 * @param contentLength the content's length if known ({@code -1} otherwise), to give the first
	 * chunk one array of the right size
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
	 * Sends chunks in one request or in parts: holds the first chunks until the content ends or they
	 * reach {@code limit} bytes. A content that ended within {@code limit} bytes goes to
	 * {@code whole} (whose result is subscribed to once the content has completed); a longer one goes
	 * to {@code inParts}, every chunk in order, the held ones first. Nothing is read ahead: the chunks
	 * after the held ones are read as {@code inParts} asks for them, so an upload that keeps
	 * {@code n} parts in flight holds those (or the held ones, if more) and the one being cut. A
	 * content that fails before the decision fails the result, and neither function is called.
	 * <p>
	 * Built from Reactor operators: {@code bufferUntil} makes the held chunks one list (and every
	 * later chunk a list of its own), {@code switchOnFirst} decides on it, and the held chunks are
	 * concatenated with the rest. Flattening the lists instead ({@code concatMapIterable}, or
	 * {@code concatMap} even without prefetch) would read one chunk ahead, so one part more held in
	 * memory (ContentChunksTests measures this).
	 * @param <T> the result of the upload
	 * @param chunks the chunks, as {@link #cut} makes them (the last one marked)
	 * @param limit the most bytes one request carries
	 * @param whole sends the whole content, given all its chunks
	 * @param inParts sends the content in parts, given all its chunks as they come
	 * @return the result of the one or the other
	 */
	public static <T> Mono<T> wholeOrParts(Flux<Chunk> chunks, long limit, Function<List<Chunk>, Mono<T>> whole,
			Function<Flux<Chunk>, Mono<T>> inParts) {
		// the first list holds the chunks up to the decision, every later list one chunk
		Flux<List<Chunk>> held = Flux.defer(() -> chunks.bufferUntil(new Decision(limit)::reached));
		return held.switchOnFirst((signal, lists) -> {
			if (!signal.hasValue()) {
				return lists.then(Mono.<T>empty()); // the content failed before the decision: let it error
			}
			List<Chunk> first = signal.get();
			if (first.get(first.size() - 1).last() && size(first) <= limit) {
				return lists.then(whole.apply(first));
			}
			// every list after the first holds one chunk; skip(1) drops the first list, which switchOnFirst
			// replays
			return inParts.apply(Flux.fromIterable(first).concatWith(lists.skip(1).map((list) -> list.get(0))));
		}, false).single();
	}

	/**
	 * The size of some chunks.
	 * @param chunks the chunks
	 * @return the sum of their sizes
	 */
	public static long size(List<Chunk> chunks) {
		long size = 0;
		for (Chunk chunk : chunks) {
			size += chunk.size();
		}
		return size;
	}

	/** Whether the chunks seen so far decide between one request and parts. */
	private static final class Decision {

		private final long limit;

		private long size;

		private boolean reached;

		Decision(long limit) {
			this.limit = limit;
		}

		boolean reached(Chunk chunk) {
			if (!this.reached) {
				this.size += chunk.size();
				// a chunk that is not the last is followed by at least one more byte
				this.reached = chunk.last() || this.size >= this.limit;
			}
			return this.reached;
		}

	}

	/**
	 * One chunk of a write's content: its bytes, in one array or in several (never copied again),
	 * which must not be changed.
	 */
	public static final class Chunk {

		private final int index;

		private final ByteBuffer[] buffers;

		private final int size;

		private final boolean last;

		/**
		 * A chunk of one array.
		 * @param index the chunk's position, from 0
		 * @param bytes the array that holds the chunk's bytes from index 0 (owned by the chunk)
		 * @param size how many bytes of the array belong to the chunk
		 * @param last whether this is the content's last chunk
		 */
		public Chunk(int index, byte[] bytes, int size, boolean last) {
			this(index, new ByteBuffer[] { ByteBuffer.wrap(bytes, 0, size) }, size, last);
		}

		private Chunk(int index, ByteBuffer[] buffers, int size, boolean last) {
			this.index = index;
			this.buffers = buffers;
			this.size = size;
			this.last = last;
		}

		/**
		 * The chunk's position in the content.
		 * @return the position, from 0
		 */
		public int index() {
			return this.index;
		}

		/**
		 * The chunk's size.
		 * @return how many bytes the chunk holds
		 */
		public int size() {
			return this.size;
		}

		/**
		 * Whether this is the content's last chunk.
		 * @return {@code true} for the last chunk
		 */
		public boolean last() {
			return this.last;
		}

		/**
		 * The chunk's bytes, one after the other, as buffers over its arrays (views, not copies;
		 * new ones at every call, so that a reader of one does not move another's position).
		 * @return the buffers, each positioned at 0 of its array; at least one, empty for an empty chunk
		 */
		public List<ByteBuffer> byteBuffers() {
			List<ByteBuffer> views = new ArrayList<>(this.buffers.length);
			for (ByteBuffer buffer : this.buffers) {
				views.add(buffer.duplicate());
			}
			return views;
		}

		/**
		 * The chunk's array if one array, filled, holds all its bytes (for an SDK that takes a
		 * {@code byte[]} as it is).
		 * @return the array, or {@code null}
		 */
		public byte @Nullable [] wholeArray() {
			if (this.buffers.length != 1) {
				return null;
			}
			ByteBuffer buffer = this.buffers[0];
			return (buffer.arrayOffset() == 0 && buffer.remaining() == buffer.array().length) ? buffer.array() : null;
		}

	}

	/** The cutting itself. Not thread-safe; Reactor calls it serially. */
	private static final class Cutter {

		private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];

		private final int chunkSize;

		private final int initialCapacity;

		/** The largest array while the first chunk grows. */
		private final int maxSegment;

		/** The filled arrays of the current chunk. */
		private final List<ByteBuffer> filledSegments = new ArrayList<>(4);

		/** The array being filled, {@code null} before the chunk's first byte and when it is full. */
		private byte @Nullable [] segment;

		private int segmentFilled;

		/** The size of the current chunk once full. */
		private int capacity;

		/** How many bytes the current chunk holds. */
		private int filled;

		private int index;

		Cutter(int firstSize, int chunkSize, int initialCapacity) {
			this.chunkSize = chunkSize;
			this.capacity = firstSize;
			this.initialCapacity = Math.min(initialCapacity, firstSize);
			this.maxSegment = Math.max(MAX_SEGMENT, firstSize / 16);
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
						full.add(take(false));
						this.capacity = this.chunkSize;
					}
					if (this.segment == null) {
						this.segment = new byte[segmentSize(remaining)];
						this.segmentFilled = 0;
					}
					int n = Math.min(remaining, this.segment.length - this.segmentFilled);
					buffer.read(this.segment, this.segmentFilled, n);
					this.segmentFilled += n;
					this.filled += n;
					remaining -= n;
					if (this.segmentFilled == this.segment.length) {
						closeSegment();
					}
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			return full;
		}

		/**
		 * The size of the current chunk's next array: the whole chunk after the first one (the
		 * content is known to be longer) or where the length was given; otherwise as large as the
		 * chunk so far (or the source buffer), within {@link #maxSegment}, never beyond the chunk.
		 */
		private int segmentSize(int incoming) {
			int left = this.capacity - this.filled;
			if (this.index > 0) {
				return left;
			}
			int grown = (this.filled == 0) ? this.initialCapacity
					: Math.max(this.initialCapacity, Math.min(this.filled, this.maxSegment));
			return Math.min(left, Math.max(grown, incoming));
		}

		private void closeSegment() {
			if (this.segment != null && this.segmentFilled > 0) {
				this.filledSegments.add(ByteBuffer.wrap(this.segment, 0, this.segmentFilled));
			}
			this.segment = null;
			this.segmentFilled = 0;
		}

		private Chunk take(boolean last) {
			closeSegment();
			ByteBuffer[] buffers = this.filledSegments.isEmpty() ? new ByteBuffer[] { ByteBuffer.allocate(0) }
					: this.filledSegments.toArray(NO_BUFFERS);
			Chunk chunk = new Chunk(this.index++, buffers, this.filled, last);
			this.filledSegments.clear();
			this.filled = 0;
			return chunk;
		}

		/** The last chunk: what is left. */
		Chunk finish() {
			if (this.index > 0 && this.filled == 0) {
				throw new StorageException(ErrorKind.UNEXPECTED, "no bytes left for the last chunk");
			}
			return take(true);
		}

	}

}
