package dev.objectstorage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An {@link OutputStream} that writes an object: the object appears, atomically, when
 * {@link #close()} returns without an exception. {@link #abort()} discards what was written.
 * Not thread-safe: write from one thread at a time.
 */
public abstract class StorageOutputStream extends OutputStream {

	/**
	 * Discards everything written so far; the object is not written (an existing one is left as it
	 * was). Later writes fail; {@code close()} then does nothing. Blocks until the write is undone.
	 */
	public abstract void abort();

	/**
	 * Publishes the object and waits until it is stored.
	 * @throws IOException if the write failed; its cause is the {@link StorageException}
	 */
	@Override
	public abstract void close() throws IOException;

	/**
	 * The stored object's metadata, once {@link #close()} has returned.
	 * @return the metadata
	 * @throws IllegalStateException if the stream is not closed or the write failed
	 */
	public abstract ObjectMetadata metadata();

}
