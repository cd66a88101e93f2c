package dev.objectstorage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The {@link StorageOutputStream} behind {@link ObjectStorage#openOutputStream}. It is built on
 * Spring's {@link DataBufferUtils#outputStreamPublisher}: that publisher calls a handler with an
 * {@code OutputStream} on an executor thread; here the handler hands that stream over to the
 * caller's thread and waits until the caller closes (complete) or aborts (error) it. Writes block
 * while the storage has no demand, so memory stays bounded.
 */
final class PublisherOutputStream extends StorageOutputStream {

	static final int CHUNK_SIZE = 64 * 1024;

	/** Runs the handlers; each waits, parked, for its stream to be closed. */
	private static final ExecutorService HANDLERS = Executors.newCachedThreadPool(new ThreadFactory() {
		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable r) {
			Thread t = new Thread(r, "storage-output-stream-" + this.count.incrementAndGet());
			t.setDaemon(true);
			return t;
		}
	});

	private final CompletableFuture<OutputStream> target = new CompletableFuture<>();

	/** Completed when the caller closes or aborts the stream, or when the write ends by itself. */
	private final CompletableFuture<Void> finished = new CompletableFuture<>();

	private final CompletableFuture<ObjectMetadata> result;

	private volatile boolean aborted;

	private boolean closed;

	PublisherOutputStream(DataBufferFactory factory, Function<Flux<DataBuffer>, Mono<ObjectMetadata>> write) {
		Executor executor = HANDLERS;
		Flux<DataBuffer> content = Flux.from(DataBufferUtils.outputStreamPublisher(this::handle, factory, executor,
				CHUNK_SIZE));
		this.result = write.apply(content).toFuture();
		// If the write ends before it asks for content (an invalid path, say), no handler runs:
		// let a waiting writer see that instead of blocking for ever.
		this.result.whenComplete((metadata, ex) -> {
			this.target.completeExceptionally(
					(ex != null) ? ex : new IllegalStateException("the write completed before the stream was closed"));
			this.finished.complete(null);
		});
	}

	private void handle(OutputStream stream) {
		this.target.complete(stream);
		try {
			this.finished.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the stream to be closed");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		if (this.aborted) {
			throw new CancellationException("output stream aborted");
		}
	}

	private OutputStream target() throws IOException {
		if (this.closed) {
			throw new IOException("stream is closed");
		}
		if (this.result.isCompletedExceptionally()) {
			throw failure(new IOException("the write failed"));
		}
		try {
			return this.target.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for the storage");
		}
		catch (ExecutionException ex) {
			throw ioException(ex.getCause());
		}
	}

	@Override
	public void write(int b) throws IOException {
		OutputStream out = target();
		try {
			out.write(b);
		}
		catch (IOException ex) {
			throw failure(ex);
		}
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		OutputStream out = target();
		try {
			out.write(b, off, len);
		}
		catch (IOException ex) {
			throw failure(ex);
		}
	}

	@Override
	public void flush() {
		// Nothing to do: bytes are published in chunks as the storage asks for them.
	}

	@Override
	public void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.finished.complete(null);
		if (this.aborted) {
			return;
		}
		try {
			this.result.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for the write to complete");
		}
		catch (ExecutionException ex) {
			throw ioException(ex.getCause());
		}
	}

	@Override
	public void abort() {
		if (this.closed) {
			return;
		}
		this.aborted = true;
		this.closed = true;
		this.finished.complete(null);
		try {
			this.result.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | CancellationException ex) {
			// expected: the write failed because we aborted it
		}
	}

	@Override
	public ObjectMetadata metadata() {
		if (!this.closed || !this.result.isDone() || this.result.isCompletedExceptionally()) {
			throw new IllegalStateException("the stream is not closed, or its write failed");
		}
		return this.result.join();
	}

	/** A write to the publisher's stream failed: the storage gave up; report its error if it has one. */
	private IOException failure(IOException ex) {
		if (this.result.isCompletedExceptionally()) {
			try {
				this.result.join();
			}
			catch (Exception failure) {
				return ioException(failure.getCause() != null ? failure.getCause() : failure);
			}
		}
		return ex;
	}

	private static IOException ioException(@Nullable Throwable cause) {
		if (cause instanceof IOException io) {
			return io;
		}
		String message = (cause != null) ? cause.getMessage() : "write failed";
		return new IOException(message, cause);
	}

}
