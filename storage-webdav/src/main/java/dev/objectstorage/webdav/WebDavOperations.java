package dev.objectstorage.webdav;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes and renames of a {@link WebDavBackend}: a {@code DELETE} of the file (waiting out a
 * write's lock) and the pruning of the collections it leaves empty; a rename is a publish of the
 * source onto the target (see {@link WebDavWriter#commit}). Errors are mapped here.
 */
final class WebDavOperations {

	private static final int MAX_DELETE_ATTEMPTS = 8;

	private final DavClient client;

	private final WebDavWriter writer;

	WebDavOperations(DavClient client, WebDavWriter writer) {
		this.client = client;
		this.writer = writer;
	}

	/** Deletes an object, then the collections it leaves empty. */
	Mono<Void> delete(String path) {
		String full = this.client.full(path);
		return deleteAttempt(full, 1)
			.flatMap((deleted) -> deleted ? this.client.pruneEmptyCollections(DavClient.parentOf(full))
					: Mono.<Void>empty())
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.DELETE, path));
	}

	/**
	 * Deletes the objects a few at a time, then the collections they leave empty, once per
	 * collection: checking a collection for members lists it whole, which per object would cost
	 * time quadratic in the size of the collection.
	 */
	Mono<Void> deleteAll(Flux<String> paths) {
		return Mono.defer(() -> {
			Set<String> parents = ConcurrentHashMap.newKeySet();
			return paths.flatMap((path) -> {
				String full = this.client.full(path);
				return deleteAttempt(full, 1).doOnNext((deleted) -> {
					if (deleted) {
						parents.add(DavClient.parentOf(full));
					}
				}).onErrorMap((ex) -> WebDavErrors.map(ex, Operation.DELETE_ALL, path));
			}, 8).then(Mono.defer(() -> Flux.fromIterable(parents)
				.sort(Comparator.comparingInt(String::length).reversed())
				.concatMap(this.client::pruneEmptyCollections)
				.then()));
		});
	}

	/** Deletes a file; a collection (a directory is not an object) or a missing file is left alone. */
	private Mono<Boolean> deleteAttempt(String full, int attempt) {
		return this.client.deleteFile(full).flatMap((status) -> switch (status) {
			case 200, 204 -> Mono.just(true);
			case 423 -> (attempt >= MAX_DELETE_ATTEMPTS)
					? Mono.error(new DavStatusException("DELETE", 423, "the object stays locked"))
					: Mono.delay(WebDavWriter.pause(attempt)).then(Mono.defer(() -> deleteAttempt(full, attempt + 1)));
			default -> Mono.just(false);
		});
	}

	/**
	 * Publishes the source onto the target (metadata and all, with the locking of writes), then
	 * prunes the collections the source leaves empty.
	 */
	Mono<Void> rename(String source, String target) {
		String from = this.client.full(source);
		String to = this.client.full(target);
		return this.client.stat(from)
			.flatMap((Optional<DavResource> found) -> found.filter(DavResource::isObject).isPresent()
					? Mono.<Void>empty() : Mono.error(StorageException.notFound(Operation.RENAME, source)))
			.then(Mono.defer(() -> this.client.ensureCollection(DavClient.parentOf(to))))
			.then(Mono.defer(() -> this.writer.commit(from, to, target, WriteOptions.defaults(), null)))
			.then(Mono.defer(() -> this.client.pruneEmptyCollections(DavClient.parentOf(from))))
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.RENAME, source));
	}

}
