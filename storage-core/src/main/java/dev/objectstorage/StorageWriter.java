package dev.objectstorage;

import dev.objectstorage.spi.StorageBackend;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Writes objects for a storage: checks the path and the write's options, guesses a content type
 * from the path where asked to, holds the content to its declared length, and releases the
 * content's buffers when the write fails or is cancelled before the backend consumed it.
 */
final class StorageWriter {

	private final StorageBackend backend;

	private final PathChecks paths;

	private final CapabilityChecks capabilities;

	private final StorageErrors errors;

	private final boolean guessContentType;

	/**
	 * A writer.
	 * @param guessContentType whether to guess the content type of writes without one (only done
	 * if the backend stores content types)
	 */
	StorageWriter(StorageBackend backend, PathChecks paths, CapabilityChecks capabilities, StorageErrors errors,
			boolean guessContentType) {
		this.backend = backend;
		this.paths = paths;
		this.capabilities = capabilities;
		this.errors = errors;
		this.guessContentType = guessContentType;
	}

	/** See {@link ObjectStorage#write(String, Publisher, WriteOptions)}. */
	Mono<ObjectMetadata> write(String path, Publisher<? extends DataBuffer> content, WriteOptions options) {
		StorageErrors.requireNonNull(path, "path");
		StorageErrors.requireNonNull(content, "content");
		StorageErrors.requireNonNull(options, "options");
		return Mono.defer(() -> {
			TrackedContent tracked = new TrackedContent(content);
			String p;
			WriteOptions o;
			try {
				p = this.paths.object(path);
				this.capabilities.checkWrite(options);
				o = withGuessedContentType(p, options);
			}
			catch (StorageException ex) {
				return tracked.discardIfUnused().then(Mono.error(ex));
			}
			Flux<DataBuffer> body = tracked.flux();
			if (o.contentLength() >= 0) {
				body = declaredLength(body, o.contentLength());
			}
			return this.backend.write(p, body, o)
				// a backend that fails before it subscribes to the content must not leak its buffers
				.onErrorResume((ex) -> tracked.discardIfUnused().then(Mono.error(ex)))
				.doOnCancel(() -> tracked.discardIfUnused().subscribe())
				.onErrorMap((ex) -> this.errors.map(ex, Operation.WRITE, p));
		}).onErrorMap((ex) -> this.errors.map(ex, Operation.WRITE, null));
	}

	/**
	 * The options with the content type guessed from the path's extension where the caller gave
	 * none, guessing is on and the backend stores content types.
	 */
	private WriteOptions withGuessedContentType(String path, WriteOptions options) {
		if (!this.guessContentType || options.contentType() != null) {
			return options;
		}
		String guessed = ContentTypes.guess(path);
		return (guessed != null) ? options.withContentType(guessed) : options;
	}

	/**
	 * Fails content that runs past, or ends before, its declared length, so that the backend (whose
	 * write publishes nothing when its content fails) never stores a cut-off upload as complete.
	 */
	private static Flux<DataBuffer> declaredLength(Flux<DataBuffer> content, long declared) {
		return Flux.defer(() -> {
			long[] received = new long[1];
			return content.<DataBuffer>handle((buffer, sink) -> {
				received[0] += buffer.readableByteCount();
				if (received[0] > declared) {
					DataBufferUtils.release(buffer);
					sink.error(StorageException.invalidInput(
							"The content runs past its declared length of " + declared + " bytes"));
					return;
				}
				sink.next(buffer);
			}).concatWith(Mono.defer(() -> (received[0] < declared) ? Mono.error(StorageException.invalidInput(
					"The content ended after " + received[0] + " of its declared " + declared + " bytes"))
					: Mono.empty()));
		});
	}

}
