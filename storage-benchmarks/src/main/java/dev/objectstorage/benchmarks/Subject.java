package dev.objectstorage.benchmarks;

/**
 * One way of reading and writing objects, measured side by side with the others. Every read copies
 * each byte it receives into {@code sink} (a reused array, written round-robin), as a socket or a
 * digest would consume them, so that no subject can win by not touching the bytes.
 */
interface Subject extends AutoCloseable {

	/** Stores an object for the read cases (not measured). */
	void put(String key, byte[] content) throws Exception;

	/** Reads a whole object; returns the number of bytes. */
	long readFull(String key, byte[] sink) throws Exception;

	/** Reads {@code length} bytes from {@code offset}; returns the number of bytes. */
	long readRange(String key, long offset, int length, byte[] sink) throws Exception;

	/** Writes a whole object from bytes already in memory. */
	void writeOnce(String key, byte[] content) throws Exception;

	/** Reads an object's metadata; returns its size. */
	long stat(String key) throws Exception;

	@Override
	default void close() {
	}

	/** Copies a chunk into the reused sink, wrapping around. */
	static void consume(java.nio.ByteBuffer chunk, byte[] sink) {
		while (chunk.hasRemaining()) {
			int n = Math.min(chunk.remaining(), sink.length);
			chunk.get(sink, 0, n);
		}
	}

	static void consume(byte[] chunk, int offset, int length, byte[] sink) {
		int done = 0;
		while (done < length) {
			int n = Math.min(length - done, sink.length);
			System.arraycopy(chunk, offset + done, sink, 0, n);
			done += n;
		}
	}

}
