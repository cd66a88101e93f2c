package dev.objectstorage.webdav;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Etags;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import io.netty.buffer.ByteBuf;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * Writes objects atomically: the content is streamed with one {@code PUT} to a temporary resource
 * ({@code .os-tmp-*}) in the target's collection, its tag and metadata are set with
 * {@code PROPPATCH}, and it is moved into place with {@code MOVE}. A write that fails or is
 * cancelled deletes the temporary resource; such resources never show in listings.
 * <p>
 * The {@code MOVE} replaces exactly the version seen just before (the target's entity tag in an
 * RFC 4918 {@code If} header, or {@code Overwrite: F} when there was none), so a collection is
 * never replaced by an object and a concurrent change is noticed (then the check is repeated).
 * Conditional writes ({@code ifNotExists}, {@code ifMatch}) also hold the object's write lock
 * (see {@link DavClient#lock(String)}) between the check and the move, which makes them atomic
 * against each other; against plain writes of other clients they rely on the server's
 * {@code If}/{@code Overwrite} check, which httpd makes without mutual exclusion.
 * <p>
 * httpd's {@code MOVE} onto an existing resource deletes it before it renames the source, so a
 * reader may get "not found" for the instant of an overwrite (a plain {@code PUT} would replace the
 * file atomically, but could not carry the metadata along).
 */
final class WebDavWriter {

	private static final int MAX_ATTEMPTS = 8;

	private final DavClient client;

	WebDavWriter(DavClient client) {
		this.client = client;
	}

	Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return Mono.defer(() -> {
			String full = this.client.full(path);
			String parent = DavClient.parentOf(full);
			String temp = parent + DavClient.TEMP_PREFIX + DavClient.randomTag();
			String tag = DavClient.randomTag();
			AtomicBoolean subscribed = new AtomicBoolean();
			AtomicBoolean finished = new AtomicBoolean();
			// the content is taken once: by the PUT, or by the clean-up that releases it (never both)
			Flux<ByteBuf> body = Flux.defer(() -> subscribed.compareAndSet(false, true) ? content : Flux.<DataBuffer>empty())
				.map(WebDavWriter::toByteBuf)
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
			return this.client.ensureCollection(parent)
				.then(Mono.defer(() -> this.client.put(this.client.url(temp), body)))
				.flatMap((response) -> (response.status() == 201 || response.status() == 204 || response.status() == 200)
						? Mono.<Void>empty() : Mono.<Void>error(response.error("PUT")))
				.then(Mono.defer(() -> this.client.proppatch(temp, DavXml.proppatch(tag, options))))
				.then(Mono.defer(() -> this.client.stat(temp)))
				.flatMap((written) -> written.filter(DavResource::isObject)
					.map(Mono::just)
					.orElseGet(() -> Mono.error(new DavStatusException("PROPFIND", 404,
							"the temporary resource of the write vanished"))))
				.flatMap((written) -> commit(temp, full, path, options).thenReturn(written.metadata(path)))
				.doOnSuccess((meta) -> finished.set(true))
				.onErrorResume((ex) -> {
					finished.set(true);
					return cleanUp(content, subscribed, temp).then(Mono.error(ex));
				})
				.doOnCancel(() -> {
					if (finished.compareAndSet(false, true)) {
						// a PUT whose body was complete may still be renamed into place by the server after
						// the first delete: try again a little later
						cleanUp(content, subscribed, temp)
							.then(Mono.delay(Duration.ofSeconds(2)))
							.then(this.client.deleteQuietly(temp, false))
							.subscribe();
					}
				});
		});
	}

	private Mono<Void> cleanUp(Flux<DataBuffer> content, AtomicBoolean subscribed, String temp) {
		if (subscribed.compareAndSet(false, true)) {
			// the write ended before the PUT took the content: cancel it at once, so that a source that
			// holds buffers releases them (discard hook), without reading the rest of it
			content.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
				.subscribe(new BaseSubscriber<DataBuffer>() {

					@Override
					protected void hookOnSubscribe(Subscription subscription) {
						subscription.cancel();
					}

					@Override
					protected void hookOnNext(DataBuffer buffer) {
						DataBufferUtils.release(buffer); // emitted anyway
					}

				});
			return Mono.empty();
		}
		return this.client.deleteQuietly(temp, false);
	}

	/**
	 * The Netty buffer of a content buffer, without copying when it is one already (Reactor Netty
	 * then owns it and releases it once written); other buffers are copied and released here.
	 */
	static ByteBuf toByteBuf(DataBuffer buffer) {
		if (buffer instanceof NettyDataBuffer netty) {
			return netty.getNativeBuffer();
		}
		try {
			return NettyDataBufferFactory.toByteBuf(buffer);
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * Moves a resource onto an object's path, checking the write's conditions, under the object's
	 * write lock when there are conditions.
	 */
	Mono<Void> commit(String fullSource, String fullTarget, String path, WriteOptions options) {
		boolean conditional = options.ifNotExists() || options.ifMatch() != null;
		Mono<Void> move = Mono.defer(() -> attempt(fullSource, fullTarget, path, options, 1));
		if (!conditional) {
			return move;
		}
		return Mono.usingWhen(this.client.lock(fullTarget), (lock) -> move,
				(lock) -> this.client.deleteQuietly(lock, true),
				(lock, error) -> this.client.deleteQuietly(lock, true),
				(lock) -> this.client.deleteQuietly(lock, true));
	}

	private Mono<Void> attempt(String fullSource, String fullTarget, String path, WriteOptions options, int attempt) {
		boolean conditional = options.ifNotExists() || options.ifMatch() != null;
		return this.client.stat(fullTarget).flatMap((current) -> {
			DavResource existing = current.filter((r) -> r.collection() || r.isObject()).orElse(null);
			if (existing != null && existing.collection()) {
				return Mono.error(new StorageException(ErrorKind.ALREADY_EXISTS, "A directory (collection) exists at "
						+ path + ": WebDAV cannot hold both an object 'a' and an object 'a/b'", Operation.WRITE, path,
						null, false, null));
			}
			if (options.ifNotExists() && existing != null) {
				return Mono.error(StorageException.conditionNotMatch(Operation.WRITE, path,
						"ifNotExists: the object exists"));
			}
			String ifMatch = options.ifMatch();
			if (ifMatch != null && existing == null) {
				return Mono.error(StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object"));
			}
			if (ifMatch != null && !Etags.matches(ifMatch, existing.etag())) {
				return Mono.error(StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch"));
			}
			return this.client.transfer("MOVE", fullSource, fullTarget, existing).flatMap((status) -> {
				if (status == 201 || status == 204) {
					return Mono.<Void>empty();
				}
				if (status == 412 && conditional) {
					return Mono.error(StorageException.conditionNotMatch(Operation.WRITE, path,
							"the object changed during the write"));
				}
				if (attempt >= MAX_ATTEMPTS) {
					// not the caller's condition that failed: a temporary conflict, worth retrying later
					return Mono.error(new StorageException(ErrorKind.UNEXPECTED, "MOVE answered " + status
							+ ": the target kept changing (or stayed locked) during the write", Operation.WRITE, path,
							null, true, null));
				}
				return Mono.delay(pause(attempt))
					.then(Mono.defer(() -> attempt(fullSource, fullTarget, path, options, attempt + 1)));
			});
		});
	}

	static Duration pause(int attempt) {
		long max = Math.min(500, 10L << Math.min(attempt, 6));
		return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
	}

	/**
	 * Copies an object server-side: {@code COPY} to a temporary resource next to the target (dead
	 * properties come along), a new tag, then the same move into place as a write.
	 */
	Mono<Void> copy(String source, String target) {
		String from = this.client.full(source);
		String to = this.client.full(target);
		String parent = DavClient.parentOf(to);
		String temp = parent + DavClient.TEMP_PREFIX + DavClient.randomTag();
		return this.client.stat(from)
			.flatMap((found) -> found.filter(DavResource::isObject).isPresent() ? Mono.<Void>empty()
					: Mono.error(StorageException.notFound(Operation.COPY, source)))
			.then(Mono.defer(() -> this.client.ensureCollection(parent)))
			.then(Mono.defer(() -> this.client.transfer("COPY", from, temp, null)))
			.flatMap((status) -> (status == 201 || status == 204) ? Mono.<Void>empty()
					: Mono.error(new DavStatusException("COPY", status, "could not copy to a temporary resource")))
			.then(Mono.defer(() -> this.client.proppatch(temp, DavXml.proppatchTag(DavClient.randomTag()))))
			.then(Mono.defer(() -> commit(temp, to, target, WriteOptions.defaults())))
			.onErrorResume((ex) -> this.client.deleteQuietly(temp, false).then(Mono.error(ex)))
			// a hidden temporary resource left behind would keep its collection from ever being pruned
			.doOnCancel(() -> this.client.deleteQuietly(temp, false).subscribe());
	}

}
