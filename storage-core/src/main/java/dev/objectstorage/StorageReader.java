package dev.objectstorage;

import dev.objectstorage.layer.ForwardingContent;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.Ranges;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Opens objects for a storage: checks the path and the read's options, answers a zero-length
 * range with the errors of any other read but no bytes, and gives the content's body and transfer
 * errors the same context as every other error.
 */
final class StorageReader {

	private final StorageBackend backend;

	private final PathChecks paths;

	private final CapabilityChecks capabilities;

	private final StorageErrors errors;

	StorageReader(StorageBackend backend, PathChecks paths, CapabilityChecks capabilities, StorageErrors errors) {
		this.backend = backend;
		this.paths = paths;
		this.capabilities = capabilities;
		this.errors = errors;
	}

	/** See {@link ObjectStorage#open(String, ReadOptions)}. */
	Mono<ObjectContent> open(String path, ReadOptions options) {
		StorageErrors.requireNonNull(path, "path");
		StorageErrors.requireNonNull(options, "options");
		return Mono.defer(() -> {
			String p = this.paths.object(path);
			this.capabilities.checkRead(options);
			Mono<ObjectContent> content = (options.length() == 0) ? emptyRange(p, options) : this.backend.open(p, options);
			return content.<ObjectContent>map((opened) -> new ErrorMappedContent(opened, p))
				.onErrorMap((ex) -> this.errors.map(ex, Operation.READ, p));
		})
			.onErrorMap((ex) -> this.errors.map(ex, Operation.READ, null))
			.doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	/** A zero-length range: no bytes, but the same errors as any other read. */
	private Mono<ObjectContent> emptyRange(String path, ReadOptions options) {
		return this.backend.stat(path).map((meta) -> {
			if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), meta.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifMatch");
			}
			if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), meta.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch");
			}
			if (meta.size() > 0 && options.offset() >= meta.size()) {
				throw Ranges.notSatisfiable(path, options.offset(), meta.size());
			}
			return Contents.empty(meta, options.offset());
		});
	}

	/** Errors of the body carry the storage's name, the operation and the path, as every other error. */
	private final class ErrorMappedContent extends ForwardingContent {

		private final String path;

		ErrorMappedContent(ObjectContent delegate, String path) {
			super(delegate);
			this.path = path;
		}

		@Override
		protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
			return body.onErrorMap((ex) -> StorageReader.this.errors.map(ex, Operation.READ, this.path));
		}

		@Override
		protected Mono<Void> transfer(FileSender sender) {
			// the sender's own failure (the client went away) goes back as it is: it is no storage error
			return this.delegate.transferTo(Contents.marked(sender)).onErrorMap((ex) -> {
				Throwable senders = Contents.senderFailure(ex);
				return (senders != null) ? senders : StorageReader.this.errors.map(ex, Operation.READ, this.path);
			});
		}

	}

}
