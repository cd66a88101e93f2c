package dev.objectstorage.sftp;

import java.io.IOException;

import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The sftp backend's writes: checks the condition, streams the content into a temporary file on a
 * borrowed channel (a reactive pipeline with a window of write requests in flight) and hands the
 * complete file to the {@link SftpPublisher}.
 */
final class SftpWriter {

	private final SftpCore core;

	private final SftpSettings settings;

	private final SftpPublisher publisher;

	SftpWriter(SftpCore core, SftpPublisher publisher) {
		this.core = core;
		this.settings = core.settings();
		this.publisher = publisher;
	}

	Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		SftpMetadata.Stored stored = SftpMetadata.of(options);
		return this.core.withLease((lease) -> lease.call(() -> openTemp(lease, path, options)).flatMap((temp) -> {
			if (temp.failure != null) {
				// the condition fails already: skip the upload, but consume the content as a write does
				// (then() hands each buffer to the discard hook below, which releases it: once)
				return content.then(Mono.<ObjectMetadata>error(temp.failure));
			}
			return Mono.<Void>create((sink) -> {
				Upload upload = new Upload(lease, temp, sink);
				sink.onCancel(upload::dispose);
				content.subscribe(upload);
			})
				.then(lease.call(() -> this.publisher.publish(lease, path, temp, stored, options)));
		}))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.onErrorMap((ex) -> SftpErrors.map(ex, Operation.WRITE, path));
	}

	/**
	 * Checks the write's condition and opens its temporary file. A condition that fails already is
	 * reported when the content ends (as callers of an output stream expect it on close), without
	 * uploading the content.
	 */
	private TempFile openTemp(Lease lease, String path, WriteOptions options) throws IOException {
		String file = SftpCore.file(lease, path);
		if (options.ifNotExists() || options.ifMatch() != null) {
			try {
				this.publisher.checkCondition(lease, path, file, RemoteFiles.statOrNull(lease.sftp(), file), options);
			}
			catch (StorageException ex) {
				return TempFile.failed(lease.sftp(), ex);
			}
		}
		return TempFile.create(lease, file, this.settings.requestsInFlight());
	}

	/**
	 * Streams a write's content into its temporary file, one buffer at a time: each buffer is
	 * sent on the lease's worker, and the next one is requested when it is sent; the answers are
	 * awaited once the window of requests in flight is full, so a slow server slows the producer
	 * down. A buffer waits in the temporary file's queue until its turn; one whose turn never comes
	 * (the write was cancelled or failed) is released by the clean-up, which also takes the answers
	 * to the requests still in flight.
	 */
	private static final class Upload extends BaseSubscriber<DataBuffer> {

		private final Lease lease;

		private final TempFile temp;

		private final MonoSink<Void> sink;

		private final Context context;

		Upload(Lease lease, TempFile temp, MonoSink<Void> sink) {
			this.lease = lease;
			this.temp = temp;
			this.sink = sink;
			// the caller's context reaches the content (tracing, security, the caller's own keys), plus a
			// discard hook so that buffers the content's operators drop are released
			this.context = Operators.enableOnDiscard(Context.of(sink.contextView()), SftpWriter::release);
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(DataBuffer buffer) {
			this.temp.enqueue(buffer);
			this.lease.run(() -> {
				try {
					this.temp.writeNext();
				}
				catch (Throwable ex) {
					cancel();
					this.sink.error(ex);
					return;
				}
				request(1);
			}, this::refused);
		}

		@Override
		protected void hookOnComplete() {
			this.lease.run(this.sink::success, this::refused); // after the buffers queued before
		}

		/**
		 * The backend was closed: no task of this write will run any more, so nothing else would end
		 * it, release its queued buffers or stop its content.
		 */
		private void refused(Throwable error) {
			this.temp.abandon();
			cancel();
			this.sink.error(error);
		}

		@Override
		protected void hookOnError(Throwable error) {
			this.sink.error(error);
		}

	}

	private static void release(Object discarded) {
		if (discarded instanceof DataBuffer buffer) {
			DataBufferUtils.release(buffer);
		}
	}

}
