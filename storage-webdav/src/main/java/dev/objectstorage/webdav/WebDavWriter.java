package dev.objectstorage.webdav;

import dev.objectstorage.spi.Etags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
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
 * {@code PROPPATCH} (where the server stores dead properties, see
 * {@link WebDavSettings.Metadata}) and read back, and it is moved into place with {@code MOVE}. A
 * write that fails or is cancelled deletes the temporary resource; such resources never show in
 * listings. A server that answers the {@code PROPPATCH} with success but stored other values
 * than those sent (lighttpd keeps only the first property of a {@code prop} holding several, npm
 * webdav-server mangles namespaces) fails the write with {@link ErrorKind#UNSUPPORTED}: nothing
 * is published with lost metadata.
 * <p>
 * The {@code MOVE} replaces exactly the version seen just before (the target's entity tag in an
 * RFC 4918 {@code If} header, or {@code Overwrite: F} when there was none), so a collection is
 * never replaced by an object and a concurrent change is noticed (then the check is repeated).
 * A server that refuses {@code If} headers even with the current tag (lighttpd answers 412) is
 * noticed on the first such answer (the target is found unchanged); from then on the backend
 * replaces with a plain {@code Overwrite: T}, after the same check.
 * Conditional writes ({@code ifNotExists}, {@code ifMatch}) also hold the object's write lock
 * (see {@link DavClient#lock(String)}) between the check and the move, which makes them atomic
 * against each other; against plain writes of other clients they rely on the server's
 * {@code If}/{@code Overwrite} check, which httpd makes without mutual exclusion (and which is
 * only {@code Overwrite} on a server that refuses {@code If}).
 * <p>
 * Without dead properties the entity tag is the server's alone, which on some servers (nginx:
 * modification time in seconds and size) does not tell apart two versions of one size written
 * within a second: such a write waits until the server's clock has passed the replaced version's
 * modification time before it uploads, and fails (temporarily) rather than publish a version whose
 * tag equals the one it replaces.
 * <p>
 * httpd's {@code MOVE} onto an existing resource deletes it before it renames the source, so a
 * reader may get "not found" for the instant of an overwrite (a plain {@code PUT} would replace the
 * file atomically, but could not carry the metadata along).
 */
final class WebDavWriter {

	private static final int MAX_ATTEMPTS = 8;

	private final DavClient client;

	/** Whether the server was seen to list names that start with {@code .}. */
	private final AtomicBoolean dotNamesListed = new AtomicBoolean();

	/** Whether the server stores dead properties (tag and metadata). */
	private final boolean properties;

	/** Whether the server's {@code PUT} is atomic ({@link WebDavSettings#atomicPut()}). */
	private final boolean atomicPut;

	WebDavWriter(DavClient client, boolean properties, boolean atomicPut) {
		this.client = client;
		this.properties = properties;
		this.atomicPut = atomicPut;
	}

	static boolean hasMetadata(WriteOptions options) {
		return options.contentType() != null || options.cacheControl() != null
				|| options.contentDisposition() != null || !options.userMetadata().isEmpty();
	}

	static StorageException noMetadata(String path, String detail) {
		return new StorageException(ErrorKind.UNSUPPORTED, "The WebDAV server does not store the metadata of " + path
				+ " (" + detail + "): it keeps no WebDAV dead properties, or not faithfully. Writes without metadata"
				+ " work with storage.webdav.metadata=disabled (WebDavSettings.Metadata.DISABLED), which also"
				+ " reports content type, user metadata, cache control and content disposition as unsupported",
				Operation.WRITE, path, null, false, null);
	}

	Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		if (!this.properties && hasMetadata(options)) {
			return Mono.defer(() -> {
				releaseUntaken(content, new AtomicBoolean());
				return Mono.error(noMetadata(path, "the backend was built without metadata"));
			});
		}
		if (this.atomicPut && !options.ifNotExists() && options.ifMatch() == null && !hasMetadata(options)
				&& (!hasDotSegment(path) || this.client.escapesDots())) {
			return direct(path, content, options);
		}
		return atomic(path, content, options);
	}

	private Mono<ObjectMetadata> atomic(String path, Flux<DataBuffer> content, WriteOptions options) {
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
			boolean conditional = options.ifNotExists() || options.ifMatch() != null;
			DavClient.Stat[] before = new DavClient.Stat[1];
			// without conditions, the target first: a collection there fails the write before the upload; an
			// existing target means an existing parent (no MKCOL); and the same answer serves the move, whose
			// If header or Overwrite: F notices a change in between. A conditional write checks the target
			// under its lock, after the upload: the parent is made first, and the target is asked for here
			// only where its modification time matters (no dead properties)
			Mono<DavClient.Stat> target = !conditional ? this.client.statAt(full)
					: this.client.ensureCollection(parent)
						.then(this.properties ? Mono.just(new DavClient.Stat(Optional.empty(), null))
								: this.client.statAt(full));
			return target
				.flatMap((stat) -> {
					before[0] = stat;
					DavResource existing = stat.resource().filter((r) -> r.collection() || r.isObject()).orElse(null);
					if (existing != null && existing.collection()) {
						return Mono.<Void>error(collectionAt(path));
					}
					Mono<Void> prepare = (existing != null || conditional) ? Mono.empty()
							: this.client.ensureCollection(parent);
					return (!this.properties && stat.modifiedWithinNow()) ? prepare.then(awaitDistinctTag()) : prepare;
				})
				.then(Mono.defer(() -> this.client.put(this.client.url(temp), body)))
				.flatMap((response) -> (response.status() == 201 || response.status() == 204 || response.status() == 200)
						? Mono.<Void>empty() : Mono.<Void>error(response.error("PUT")))
				.then(Mono.defer(() -> (hasDotSegment(path) && !this.client.escapesDots())
						? checkDotNamesListed(parent, temp, path) : Mono.<Void>empty()))
				.then(Mono.defer(() -> this.properties ? setProperties(temp, path, DavXml.proppatch(tag, options))
					.onErrorResume((ex) -> !hasMetadata(options) && isUnsupported(ex), (ex) -> Mono.empty())
						: Mono.<Void>empty()))
				.then(Mono.defer(() -> this.client.stat(temp)))
				.flatMap((written) -> written.filter(DavResource::isObject)
					.map(Mono::just)
					.orElseGet(() -> Mono.error(new DavStatusException("PROPFIND", 404,
							"the temporary resource of the write vanished"))))
				.flatMap((written) -> (this.properties && (hasMetadata(options) || written.tag() != null))
						? checkProperties(written, path, tag, options) : Mono.just(written))
				.flatMap((written) -> commit(temp, full, path, options, written,
						(conditional || !this.client.ifHeaders()) ? null : before[0].resource())
					.thenReturn(written.metadata(path)))
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

	/**
	 * A write straight to the object's path, for a server whose {@code PUT} is atomic: a
	 * {@code PROPFIND} of the target (it must not be a collection; an object that carries this
	 * library's dead properties is written the atomic way instead, as a {@code PUT} would leave them
	 * on the new version: httpd keeps them), its parent collection made if the target does not exist,
	 * the {@code PUT}, and a {@code PROPFIND} that must show an object of the size sent. Three
	 * requests for an overwrite, four for a new object.
	 * <p>
	 * The new version carries no tag of its own, so its entity tag is the server's alone: where that
	 * has a granularity of seconds (nginx), the write waits, as without dead properties, until the
	 * replaced version is older than the server's current second. Where it comes out equal to the
	 * replaced version's all the same (same size, modification times within the file system's
	 * granularity), the new version is given a tag ({@code PROPPATCH}) when the server keeps dead
	 * properties, and the write fails (the bytes are in place) when it does not.
	 */
	private Mono<ObjectMetadata> direct(String path, Flux<DataBuffer> content, WriteOptions options) {
		return Mono.defer(() -> {
			String full = this.client.full(path);
			AtomicBoolean subscribed = new AtomicBoolean();
			AtomicLong sent = new AtomicLong();
			Flux<ByteBuf> body = Flux.defer(() -> subscribed.compareAndSet(false, true) ? content : Flux.<DataBuffer>empty())
				.map(WebDavWriter::toByteBuf)
				.doOnNext((buffer) -> sent.addAndGet(buffer.readableBytes()))
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
			return this.client.statAt(full).flatMap((before) -> {
				DavResource existing = before.resource().filter((r) -> r.collection() || r.isObject()).orElse(null);
				if (existing != null && existing.collection()) {
					return Mono.<ObjectMetadata>error(collectionAt(path));
				}
				if (existing != null && hasOwnProperties(existing)) {
					return atomic(path, Flux.defer(() -> subscribed.compareAndSet(false, true) ? content
							: Flux.<DataBuffer>error(new IllegalStateException("The content was taken already"))), options);
				}
				Mono<Void> prepare = (existing != null) ? Mono.empty()
						: this.client.ensureCollection(DavClient.parentOf(full));
				if (!this.properties && before.modifiedWithinNow()) {
					prepare = prepare.then(awaitDistinctTag());
				}
				return prepare.then(Mono.defer(() -> this.client.put(this.client.url(full), body)))
					.flatMap((response) -> (response.status() == 201 || response.status() == 204
							|| response.status() == 200) ? Mono.<Void>empty() : Mono.<Void>error(response.error("PUT")))
					.then(Mono.defer(() -> this.client.stat(full)))
					.flatMap((after) -> checkDirect(path, full, existing, after.orElse(null), sent.get()));
			}).onErrorResume((ex) -> {
				releaseUntaken(content, subscribed);
				return Mono.error(ex);
			});
		});
	}

	/** Whether a resource carries any of this library's dead properties (a tag, or metadata). */
	private static boolean hasOwnProperties(DavResource resource) {
		return resource.tag() != null || resource.contentType() != null || resource.cacheControl() != null
				|| resource.contentDisposition() != null || !resource.userMetadata().isEmpty();
	}

	/** Checks what a direct {@code PUT} left at the object's path: the size sent, and a tag of its own. */
	private Mono<ObjectMetadata> checkDirect(String path, String full, @Nullable DavResource replaced,
			@Nullable DavResource written, long sent) {
		if (written == null || !written.isObject() || written.size() != sent || hasOwnProperties(written)) {
			// another write came in between, or the server did not store what it was sent
			return Mono.error(new StorageException(ErrorKind.UNEXPECTED, "After a PUT of " + sent + " bytes, "
					+ path + " is " + ((written == null) ? "missing" : (!written.isObject() ? "not an object"
							: written.size() + " bytes" + (hasOwnProperties(written) ? " with properties of another write"
									: ""))) + ": another write came in between, or the server did not store what it"
							+ " was sent", Operation.WRITE, path, null, true, null));
		}
		if (replaced == null || !replaced.etag().equals(written.etag())) {
			return Mono.just(written.metadata(path));
		}
		// the server's tag of the new version equals the replaced one's (same size, modified within the
		// granularity of its clock): a tag of its own tells them apart
		if (!this.properties) {
			return Mono.error(new StorageException(ErrorKind.UNEXPECTED, "The WebDAV server gave the new version of "
					+ path + " the entity tag of the version it replaced (" + replaced.etag()
					+ "; its tags are made of size and modification time)", Operation.WRITE, path, null, true, null));
		}
		String tag = DavClient.randomTag();
		return setProperties(full, path, DavXml.proppatchTag(tag))
			.then(Mono.defer(() -> this.client.stat(full)))
			.flatMap((tagged) -> tagged.filter((r) -> tag.equals(r.tag()) && r.size() == written.size())
				.map((r) -> Mono.just(r.metadata(path)))
				.orElseGet(() -> Mono.error(noMetadata(path, "the tag of a new version did not read back as set"))));
	}

	private static boolean isUnsupported(Throwable ex) {
		return ex instanceof StorageException storage && storage.kind() == ErrorKind.UNSUPPORTED;
	}

	static boolean hasDotSegment(String path) {
		return path.startsWith(".") || path.contains("/.");
	}

	/**
	 * Before an object whose path has a segment starting with {@code .} is published: checks, once
	 * per backend, that the server lists such names (the temporary resource has one), and fails if
	 * it leaves them out (nginx's dav-ext does): the object could be read but never listed.
	 */
	private Mono<Void> checkDotNamesListed(String parent, String temp, String path) {
		if (this.dotNamesListed.get()) {
			return Mono.empty();
		}
		Mono<Void> refuse = Mono.error(new StorageException(ErrorKind.UNSUPPORTED, "The WebDAV server leaves names"
				+ " starting with '.' out of its listings (nginx's dav-ext module does): " + path
				+ " could be read but never listed, so it is not written; storage.webdav.escape-leading-dots=true"
				+ " (WebDavSettings.escapeLeadingDots) stores such names with a '~' in front",
				Operation.WRITE, path, null, false, null));
		if (this.client.hidesDotNames()) {
			return refuse;
		}
		String name = temp.substring(parent.length());
		return this.client.members(parent, null).flatMap((members) -> {
			if (members.stream().anyMatch((member) -> name.equals(this.client.name(member)))) {
				this.dotNamesListed.set(true);
				return Mono.<Void>empty();
			}
			this.client.noteHiddenDotNames();
			return refuse;
		});
	}

	/** A {@code PROPPATCH} that the server must claim to have done whole. */
	private Mono<Void> setProperties(String fullPath, String path, byte[] body) {
		return this.client.proppatch(fullPath, body).flatMap((refused) -> Mono.error(noMetadata(path, refused)));
	}

	/**
	 * Compares the properties read back with those sent: a server may answer a {@code PROPPATCH}
	 * with success and store something else.
	 */
	private static Mono<DavResource> checkProperties(DavResource written, String path, String tag,
			WriteOptions options) {
		List<String> lost = new ArrayList<>();
		if (!tag.equals(written.tag())) {
			lost.add("tag");
		}
		if (!Objects.equals(options.contentType(), written.contentType())) {
			lost.add("content-type");
		}
		if (!Objects.equals(options.cacheControl(), written.cacheControl())) {
			lost.add("cache-control");
		}
		if (!Objects.equals(options.contentDisposition(), written.contentDisposition())) {
			lost.add("content-disposition");
		}
		if (!options.userMetadata().equals(written.userMetadata())) {
			lost.add("user-metadata");
		}
		return lost.isEmpty() ? Mono.just(written) : Mono.error(noMetadata(path,
				"it answered PROPPATCH with success, but a PROPFIND shows other values of " + String.join(", ", lost)));
	}

	/**
	 * Without dead properties the entity tag is the server's alone, which may be made of the
	 * modification time in seconds and the size: if the object was modified within the server's
	 * current second, the write waits until that second has passed, so that the new version gets
	 * another tag.
	 */
	private static Mono<Void> awaitDistinctTag() {
		return Mono.delay(Duration.ofMillis(1100)).then();
	}

	private static StorageException collectionAt(String path) {
		return new StorageException(ErrorKind.ALREADY_EXISTS, "A directory (collection) exists at " + path
				+ ": WebDAV cannot hold both an object 'a' and an object 'a/b'", Operation.WRITE, path, null, false, null);
	}

	private Mono<Void> cleanUp(Flux<DataBuffer> content, AtomicBoolean subscribed, String temp) {
		return releaseUntaken(content, subscribed) ? Mono.empty() : this.client.deleteQuietly(temp, false);
	}

	/**
	 * Cancels the content if no request took it yet (so that a source that holds buffers releases
	 * them); whether it did.
	 */
	private static boolean releaseUntaken(Flux<DataBuffer> content, AtomicBoolean subscribed) {
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
			return true;
		}
		return false;
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
	 * @param written the resource as written, to check that its entity tag tells it from the version
	 * it replaces; {@code null} for a copy or rename
	 */
	Mono<Void> commit(String fullSource, String fullTarget, String path, WriteOptions options,
			@Nullable DavResource written) {
		return commit(fullSource, fullTarget, path, options, written, null);
	}

	/**
	 * {@link #commit(String, String, String, WriteOptions, DavResource)} with what a {@code PROPFIND}
	 * of the target found before (never for a conditional write, whose check must come under the
	 * lock), so that the first attempt sends no {@code PROPFIND} of its own; {@code null} to ask.
	 */
	private Mono<Void> commit(String fullSource, String fullTarget, String path, WriteOptions options,
			@Nullable DavResource written, @Nullable Optional<DavResource> known) {
		boolean conditional = options.ifNotExists() || options.ifMatch() != null;
		Mono<Void> move = Mono.defer(() -> attempt(fullSource, fullTarget, path, options, written, 1, known));
		if (!conditional) {
			return move;
		}
		return Mono.usingWhen(this.client.lock(fullTarget), (lock) -> move,
				(lock) -> this.client.deleteQuietly(lock, true),
				(lock, error) -> this.client.deleteQuietly(lock, true),
				(lock) -> this.client.deleteQuietly(lock, true));
	}

	private Mono<Void> attempt(String fullSource, String fullTarget, String path, WriteOptions options,
			@Nullable DavResource written, int attempt, @Nullable Optional<DavResource> known) {
		boolean conditional = options.ifNotExists() || options.ifMatch() != null;
		return ((known != null) ? Mono.just(known) : this.client.stat(fullTarget)).flatMap((current) -> {
			DavResource existing = current.filter((r) -> r.collection() || r.isObject()).orElse(null);
			if (existing != null && existing.collection()) {
				return Mono.<Void>error(collectionAt(path));
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
			if (written != null && existing != null && written.tag() == null
					&& existing.etag().equals(written.etag())) {
				// another write of the same size within the same second of the server's clock
				return Mono.error(new StorageException(ErrorKind.UNEXPECTED, "The WebDAV server gives the new version of "
						+ path + " the entity tag of the version it would replace (" + existing.etag()
						+ "; its tags are made of size and modification time): not published, try again",
						Operation.WRITE, path, null, true, null));
			}
			boolean withIf = existing != null && existing.serverEtag() != null && this.client.ifHeaders();
			return this.client.transfer("MOVE", fullSource, fullTarget, existing, withIf).flatMap((status) -> {
				if (status == 201 || status == 204) {
					return Mono.<Void>empty();
				}
				if (status == 412 && withIf) {
					// a concurrent change, or a server that refuses If headers even with the current tag
					return this.client.stat(fullTarget).flatMap((again) -> {
						boolean unchanged = again.filter(DavResource::isObject)
							.map((r) -> Objects.equals(DavResource.bare(r.serverEtag()),
									DavResource.bare(existing.serverEtag())))
							.orElse(false);
						if (unchanged) {
							this.client.refuseIfHeaders();
							return attempt(fullSource, fullTarget, path, options, written, attempt, null);
						}
						return conditional ? Mono.error(StorageException.conditionNotMatch(Operation.WRITE, path,
								"the object changed during the write")) : retry(fullSource, fullTarget, path, options,
										written, attempt, status);
					});
				}
				if (status == 412 && conditional) {
					return Mono.error(StorageException.conditionNotMatch(Operation.WRITE, path,
							"the object changed during the write"));
				}
				return retry(fullSource, fullTarget, path, options, written, attempt, status);
			});
		});
	}

	private Mono<Void> retry(String fullSource, String fullTarget, String path, WriteOptions options,
			@Nullable DavResource written, int attempt, int status) {
		if (attempt >= MAX_ATTEMPTS) {
			// not the caller's condition that failed: a temporary conflict, worth retrying later
			return Mono.error(new StorageException(ErrorKind.UNEXPECTED, "MOVE answered " + status
					+ ": the target kept changing (or stayed locked) during the write", Operation.WRITE, path, null,
					true, null));
		}
		return Mono.delay(pause(attempt))
			.then(Mono.defer(() -> attempt(fullSource, fullTarget, path, options, written, attempt + 1, null)));
	}

	static Duration pause(int attempt) {
		long max = Math.min(500, 10L << Math.min(attempt, 6));
		return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
	}

	/** Gives a copy a tag of its own, checked like a write's properties. */
	private Mono<Void> newTag(String temp, String target) {
		String tag = DavClient.randomTag();
		return setProperties(temp, target, DavXml.proppatchTag(tag))
			.then(Mono.defer(() -> this.client.stat(temp)))
			.flatMap((copied) -> copied.filter((r) -> tag.equals(r.tag())).isPresent() ? Mono.<Void>empty()
					: Mono.error(noMetadata(target, "the tag of a copy did not read back as set")));
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
			.then(Mono.defer(() -> this.client.transfer("COPY", from, temp, null, false)))
			.flatMap((status) -> (status == 201 || status == 204) ? Mono.<Void>empty()
					: Mono.error(new DavStatusException("COPY", status, "could not copy to a temporary resource")))
			.then(Mono.defer(() -> this.properties ? newTag(temp, target)
				.onErrorResume(WebDavWriter::isUnsupported, (ex) -> Mono.empty()) : Mono.<Void>empty()))
			.then(Mono.defer(() -> commit(temp, to, target, WriteOptions.defaults(), null)))
			.onErrorResume((ex) -> this.client.deleteQuietly(temp, false).then(Mono.error(ex)))
			// a hidden temporary resource left behind would keep its collection from ever being pruned
			.doOnCancel(() -> this.client.deleteQuietly(temp, false).subscribe());
	}

}
