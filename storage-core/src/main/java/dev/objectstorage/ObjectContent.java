package dev.objectstorage;

import java.nio.channels.FileChannel;
import java.util.function.LongConsumer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * One version of an object, opened for reading: its metadata and its bytes, from one trip to the
 * backend (see {@link ObjectStorage#open(String, ReadOptions)}). The metadata describes exactly the
 * version whose bytes the body carries, so headers built from it (an HTTP {@code ETag},
 * {@code Content-Length}, {@code Content-Range}) always match the body, also while the object is
 * being overwritten.
 * <p>
 * <b>Ownership.</b> An open content holds what the backend needs to stream it (an HTTP response, an
 * open file, a pooled channel). Its receiver must do exactly one of: subscribe to {@link #body()},
 * {@link #transferTo(FileSender) transfer} it, or {@link #release()} it. The body can be subscribed
 * to once; a second subscription, or one after {@code release()}, fails with
 * {@link IllegalStateException}. The subscriber of the body releases every buffer it receives, as for
 * {@link ObjectStorage#read(String)}.
 * <p>
 * Every byte goes through the storage's layers whichever way the content is consumed: metrics count
 * it, the concurrency limit holds its permit until the body or transfer ends, is cancelled, or the
 * content is released.
 */
public interface ObjectContent {

	/**
	 * The metadata of the version being streamed. {@code size()} is the whole object's size, not
	 * the length of the body when a range was asked for.
	 * @return the metadata
	 */
	ObjectMetadata metadata();

	/**
	 * Where the body starts in the object (0 unless a range was asked for).
	 * @return the offset of the body's first byte
	 */
	long offset();

	/**
	 * How many bytes the body carries: the range asked for, cut at the object's end.
	 * @return the body's length
	 */
	long length();

	/**
	 * Whether the body is less than the whole object.
	 * @return {@code true} for a range that is not the whole object
	 */
	default boolean isPartial() {
		return offset() != 0 || length() != metadata().size();
	}

	/**
	 * The bytes. Streaming starts on subscription, proceeds as the subscriber requests and stops
	 * when it cancels (which releases what the content holds). Can be subscribed to once.
	 * @return the body; the subscriber releases every buffer
	 */
	Flux<DataBuffer> body();

	/**
	 * Whether the bytes are a region of a local file that {@link #transferTo(FileSender)} can hand to
	 * a sender without copying them into memory (the {@code fs} backend).
	 * @return {@code true} if the content can be transferred as a file
	 */
	boolean isFile();

	/**
	 * Hands the opened file to a sender that sends it without copying it through memory (for
	 * example with {@code sendfile}); only where {@link #isFile()}. The file is the version that was
	 * opened: an overwrite after {@code open} does not change what is sent. The content closes the
	 * file when the returned {@code Mono} ends, whichever way. Counts as consuming the content.
	 * @param sender sends the region and reports what it sent
	 * A failure of the sender (the receiving side's: a client that went away) comes back as the
	 * sender's own error, not as a {@link StorageException}, and the metrics count that read as
	 * cancelled, as they count a body whose subscriber cancels.
	 * @return completes when the sender's {@code Mono} completes; an error of kind
	 * {@link ErrorKind#UNSUPPORTED} where the content is no file (nothing is consumed then)
	 */
	Mono<Void> transferTo(FileSender sender);

	/**
	 * Gives the content back without reading it (for example after deciding, from the metadata, to
	 * answer an HTTP request with 304). Idempotent; does nothing once the body was subscribed to or
	 * the content transferred.
	 */
	void release();

	/**
	 * Sends a region of an open file, for {@link ObjectContent#transferTo(FileSender)}.
	 */
	@FunctionalInterface
	interface FileSender {

		/**
		 * Sends {@code count} bytes of {@code file} from {@code position}. Must not close the file.
		 * Reports the bytes it sent to {@code sent}, each byte once (as they go or at the end), also
		 * when the transfer fails or is cancelled midway, so that metrics count what really left.
		 * @param file the open file
		 * @param position where the region starts in the file
		 * @param count the region's length
		 * @param sent told how many bytes were sent
		 * @return completes when every byte was sent
		 */
		Mono<Void> send(FileChannel file, long position, long count, LongConsumer sent);

	}

}
