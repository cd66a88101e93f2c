package dev.objectstorage.webdav;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The write locks of conditional writes: one hidden collection per object, next to it, which
 * {@code MKCOL} creates for exactly one of several racing clients; a lock whose holder crashed is
 * broken once it is older than the lock timeout.
 */
final class DavLocks {

	private final DavClient client;

	private final DavCollections collections;

	private final Duration lockTimeout;

	DavLocks(DavClient client, DavCollections collections, Duration lockTimeout) {
		this.client = client;
		this.collections = collections;
		this.lockTimeout = lockTimeout;
	}

	/**
	 * Takes the write lock of an object for a conditional write: a collection named after the
	 * object, next to it, made with {@code MKCOL}, which succeeds for exactly one of several racing
	 * clients (httpd creates it with mkdir). WebDAV's own {@code LOCK}, {@code Overwrite: F} and
	 * {@code If-None-Match: *} are checked and then acted upon without mutual exclusion in httpd,
	 * so two racing writers can both pass them. A lock older than the lock timeout (its holder
	 * crashed) is broken.
	 * @return the full path of the lock collection, to release
	 */
	Mono<String> lock(String fullPath) {
		String parent = DavClient.parentOf(fullPath);
		String name = fullPath.substring(parent.length());
		String lock = parent + DavClient.TEMP_PREFIX + "lock-" + sha256(name) + "/";
		long wait = this.lockTimeout.toNanos() * 2;
		return Mono.defer(() -> tryLock(lock, System.nanoTime() + wait, 0)).thenReturn(lock);
	}

	private Mono<Void> tryLock(String lock, long deadline, int attempt) {
		return this.collections.mkcol(lock).flatMap((status) -> {
			if (status == 201) {
				return Mono.<Void>empty();
			}
			if (status == 409) {
				return this.collections.ensureCollection(DavClient.parentOf(lock))
					.then(Mono.defer(() -> tryLock(lock, deadline, attempt + 1)));
			}
			if (System.nanoTime() - deadline > 0) {
				return Mono.error(new StorageException(ErrorKind.UNEXPECTED,
						"Another conditional write of the same object holds its lock for too long", null, null, null,
						true, null));
			}
			Mono<Void> breakStale = (attempt % 10 == 9) ? breakIfStale(lock) : Mono.empty();
			long backoff = Math.min(200, 5L << Math.min(attempt, 5));
			Duration pause = Duration.ofMillis(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
			return breakStale.then(Mono.delay(pause)).then(Mono.defer(() -> tryLock(lock, deadline, attempt + 1)));
		});
	}

	/** Deletes a lock collection older than the lock timeout, by the server's clock, if it is still that one. */
	private Mono<Void> breakIfStale(String lock) {
		return exchange("PROPFIND", url(lock), (h) -> h.set("Depth", "0"), DavXml.PROPFIND).flatMap((response) -> {
			if (response.status() != 207) {
				return Mono.<Void>empty();
			}
			List<DavResource> resources = new ArrayList<>(1);
			try {
				DavXml.parse(response.body(), resources::add);
			}
			catch (javax.xml.stream.XMLStreamException ex) {
				return Mono.<Void>empty();
			}
			java.time.Instant now = DavXml.httpDate(response.headers().get(HttpHeaderNames.DATE));
			if (resources.isEmpty() || now == null || resources.get(0).lastModified() == null
					|| resources.get(0).serverEtag() == null) {
				return Mono.<Void>empty();
			}
			DavResource held = resources.get(0);
			if (held.lastModified().plus(this.lockTimeout).isAfter(now)) {
				return Mono.<Void>empty();
			}
			String url = url(lock);
			return exchange("DELETE", url, (h) -> h.set("If", "<" + url + "> ([" + held.serverEtag() + "])"), null)
				.then();
		}).onErrorResume((ex) -> Mono.empty());
	}

	private static String sha256(String text) {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
				.digest(text.getBytes(StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Mono<DavHttp.DavResponse> exchange(String method, String url, @Nullable Consumer<HttpHeaders> headers,
			byte @Nullable [] body) {
		return this.client.exchange(method, url, headers, body);
	}

	private String url(String fullPath) {
		return this.client.url(fullPath);
	}

}
