package dev.objectstorage.spi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectContent.FileSender;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The {@link ObjectContent}s that backends return from {@link StorageBackend#open}: each enforces
 * that its body is consumed at most once, and gives back what it holds when it is released instead.
 */
public final class Contents {

	private Contents() {
	}

	/**
	 * A content whose body is a stream the backend has opened (an HTTP response's body, a remote
	 * file being read).
	 * @param metadata the version being streamed
	 * @param offset where the body starts in the object
	 * @param length the body's length
	 * @param body the bytes; subscribed to at most once; cancelling it gives back what it holds
	 * @param onRelease gives back what the body holds, when the content is released unread
	 * @return the content
	 */
	public static ObjectContent streamed(ObjectMetadata metadata, long offset, long length, Flux<DataBuffer> body,
			Runnable onRelease) {
		return new BackendContent(metadata, offset, length, body, null, onRelease);
	}

	/**
	 * A content whose body is a publisher that must be subscribed to and cancelled to be given back
	 * (the response publishers of HTTP clients): released, it is cancelled at once.
	 * @param metadata the version being streamed
	 * @param offset where the body starts in the object
	 * @param length the body's length
	 * @param body the bytes
	 * @return the content
	 */
	public static ObjectContent cancelOnRelease(ObjectMetadata metadata, long offset, long length,
			Flux<DataBuffer> body) {
		return streamed(metadata, offset, length, body, () -> cancel(body));
	}

	/**
	 * The content of a service's answer to a read, checked: the conditions against the entity tag of
	 * the version served (a server may ignore {@code If-Match}), the range against what the server
	 * says it served (a whole-object answer to a ranged request is cut here; a partial answer that
	 * does not cover exactly the range asked for fails), and the body against its length. Released
	 * unread, or when a check fails, the body is cancelled.
	 * @param path the object's path
	 * @param options the read options
	 * @param metadata the served version's metadata, with the whole object's size
	 * @param partial whether the server answered with a part ({@code Content-Range}) rather than the whole
	 * @param servedStart where the served part starts (ignored unless partial)
	 * @param servedLength the served part's length (ignored unless partial)
	 * @param body the served bytes
	 * @return the content
	 * @throws StorageException if a check fails (the body is cancelled then)
	 */
	public static ObjectContent answered(String path, ReadOptions options, ObjectMetadata metadata, boolean partial,
			long servedStart, long servedLength, Flux<DataBuffer> body) {
		try {
			if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), metadata.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifMatch");
			}
			if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), metadata.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch");
			}
			long size = metadata.size();
			long length = Ranges.length(path, options, size);
			long offset = (size == 0) ? 0 : options.offset();
			Flux<DataBuffer> bytes = body;
			if (partial) {
				if (servedStart != offset || servedLength != length) {
					throw new StorageException(ErrorKind.UNEXPECTED,
							"The server answered a read of bytes " + offset + "+" + length + " with bytes " + servedStart
									+ "+" + servedLength + " of " + size + ": refusing bytes of another range",
							Operation.READ, path, null, false, null);
				}
			}
			else if (offset != 0 || length != size) {
				bytes = slice(body, offset, length); // the server ignored the range
			}
			return cancelOnRelease(metadata, offset, length, checkLength(bytes, length, path));
		}
		catch (RuntimeException ex) {
			cancel(body);
			throw ex;
		}
	}

	/**
	 * Cuts {@code take} bytes from {@code skip} out of a stream of buffers.
	 * @param body the bytes; buffers outside the cut are released
	 * @param skip how many bytes to drop first
	 * @param take how many bytes to keep
	 * @return the cut
	 */
	public static Flux<DataBuffer> slice(Flux<DataBuffer> body, long skip, long take) {
		long end = skip + take;
		return Flux.defer(() -> {
			long[] position = new long[1];
			return body.<DataBuffer>handle((buffer, sink) -> {
				long start = position[0];
				int n = buffer.readableByteCount();
				position[0] += n;
				long from = Math.max(skip - start, 0);
				long to = Math.min(end - start, n);
				if (from >= to) {
					DataBufferUtils.release(buffer);
				}
				else {
					buffer.readPosition(buffer.readPosition() + (int) from);
					buffer.writePosition(buffer.readPosition() + (int) (to - from));
					sink.next(buffer);
				}
				if (position[0] >= end) {
					sink.complete();
				}
			}).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		});
	}

	/**
	 * Fails a body that ends before, or runs past, the length its answer announced (a connection cut
	 * midway, a server that sends more than it said): the error is temporary, so a retry layer resumes
	 * the same version from the next byte.
	 * @param body the bytes
	 * @param length the announced length
	 * @param path the object's path, for the error
	 * @return the checked body
	 */
	public static Flux<DataBuffer> checkLength(Flux<DataBuffer> body, long length, String path) {
		return Flux.defer(() -> {
			long[] received = new long[1];
			return body.<DataBuffer>handle((buffer, sink) -> {
				received[0] += buffer.readableByteCount();
				if (received[0] > length) {
					DataBufferUtils.release(buffer);
					sink.error(new StorageException(ErrorKind.UNEXPECTED, "The server sent more than the " + length
							+ " bytes it announced", Operation.READ, path, null, false, null));
					return;
				}
				sink.next(buffer);
			}).concatWith(Mono.defer(() -> (received[0] < length) ? Mono.error(new StorageException(
					ErrorKind.UNEXPECTED, "The body ended after " + received[0] + " of " + length + " bytes",
					Operation.READ, path, null, true, null)) : Mono.empty()));
		});
	}

	/**
	 * A content with no bytes.
	 * @param metadata the object's metadata
	 * @param offset where the (empty) body starts
	 * @return the content
	 */
	public static ObjectContent empty(ObjectMetadata metadata, long offset) {
		return streamed(metadata, offset, 0, Flux.empty(), () -> {
		});
	}

	/**
	 * A content read from an open local file, which can also be
	 * {@linkplain ObjectContent#transferTo transferred} without copying.
	 * @param metadata the version of the opened file
	 * @param offset where the body starts in the file
	 * @param length the body's length
	 * @param file the open file; the content closes it
	 * @param body reads the region from the file and closes it when it ends
	 * @return the content
	 */
	public static ObjectContent file(ObjectMetadata metadata, long offset, long length, FileChannel file,
			Flux<DataBuffer> body) {
		return new BackendContent(metadata, offset, length, body, file, () -> close(file));
	}

	/**
	 * Subscribes to a publisher and cancels at once, releasing anything it emits anyway.
	 * @param publisher the publisher
	 */
	public static void cancel(Flux<? extends DataBuffer> publisher) {
		publisher.subscribe(new BaseSubscriber<DataBuffer>() {
			@Override
			protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
				subscription.cancel();
			}

			@Override
			protected void hookOnNext(DataBuffer buffer) {
				DataBufferUtils.release(buffer);
			}
		});
	}

	/**
	 * The error for a content consumed twice.
	 * @return the error
	 */
	public static IllegalStateException alreadyConsumed() {
		return new IllegalStateException("The content was already consumed or released: read its body once, "
				+ "transfer it once, or release it");
	}

	/**
	 * A sender whose failures are marked as its own: a sender fails when the receiving side does (a
	 * client that went away mid-download, for one), which is no failure of the storage. The front
	 * door marks the caller's sender, so that layers can tell ({@link #senderFailure(Throwable)}: the
	 * metrics count such a read as cancelled, as they count a body whose subscriber cancels) and the
	 * caller gets the sender's own error back, not one mapped to a storage error.
	 * @param sender the caller's sender
	 * @return the same sender, its errors marked
	 */
	public static FileSender marked(FileSender sender) {
		return (file, position, count, sent) -> {
			Mono<Void> sending;
			try {
				sending = sender.send(file, position, count, sent);
			}
			catch (RuntimeException ex) {
				return Mono.error(new SenderFailure(ex));
			}
			return sending.onErrorMap(SenderFailure::new);
		};
	}

	/**
	 * The failure of a {@link #marked(FileSender) marked} sender, if that is what {@code error} is
	 * (or holds as its cause, where a backend wrapped it).
	 * @param error an error of a transfer
	 * @return the sender's own error, or {@code null} if the transfer failed otherwise
	 */
	public static @Nullable Throwable senderFailure(Throwable error) {
		Throwable current = error;
		for (int depth = 0; current != null && depth < 8; depth++) {
			if (current instanceof SenderFailure failure) {
				return failure.getCause();
			}
			current = current.getCause();
		}
		return null;
	}

	/** Marks the failure of a sender; never leaves the library (the front door unwraps it). */
	private static final class SenderFailure extends RuntimeException {

		SenderFailure(Throwable cause) {
			super(cause.toString(), cause, false, false);
		}

	}

	/**
	 * The error for a transfer of a content that is no file.
	 * @return the error
	 */
	public static StorageException notAFile() {
		return new StorageException(ErrorKind.UNSUPPORTED, "The content is not a local file: read its body instead");
	}

	static void close(FileChannel file) {
		try {
			file.close();
		}
		catch (IOException ex) {
			// a read-only channel: nothing is lost when its close fails
		}
	}

	private static final class BackendContent implements ObjectContent {

		private final ObjectMetadata metadata;

		private final long offset;

		private final long length;

		private final Flux<DataBuffer> body;

		private final @Nullable FileChannel file;

		private final Runnable onRelease;

		private final AtomicBoolean taken = new AtomicBoolean();

		BackendContent(ObjectMetadata metadata, long offset, long length, Flux<DataBuffer> body,
				@Nullable FileChannel file, Runnable onRelease) {
			this.metadata = metadata;
			this.offset = offset;
			this.length = length;
			this.body = body;
			this.file = file;
			this.onRelease = onRelease;
		}

		@Override
		public ObjectMetadata metadata() {
			return this.metadata;
		}

		@Override
		public long offset() {
			return this.offset;
		}

		@Override
		public long length() {
			return this.length;
		}

		@Override
		public Flux<DataBuffer> body() {
			return Flux.defer(() -> this.taken.compareAndSet(false, true) ? this.body : Flux.error(alreadyConsumed()));
		}

		@Override
		public boolean isFile() {
			return this.file != null;
		}

		@Override
		public Mono<Void> transferTo(FileSender sender) {
			FileChannel channel = this.file;
			if (channel == null) {
				return Mono.error(notAFile());
			}
			return Mono.defer(() -> {
				if (!this.taken.compareAndSet(false, true)) {
					return Mono.error(alreadyConsumed());
				}
				try {
					return sender.send(channel, this.offset, this.length, (n) -> {
					}).doFinally((signal) -> close(channel));
				}
				catch (RuntimeException ex) {
					close(channel);
					return Mono.error(ex);
				}
			});
		}

		@Override
		public void release() {
			if (this.taken.compareAndSet(false, true)) {
				this.onRelease.run();
			}
		}

		@Override
		public String toString() {
			return "ObjectContent[" + this.metadata.path() + ", " + this.offset + "+" + this.length + ", etag="
					+ this.metadata.etag() + "]";
		}

	}

}
