package dev.objectstorage.webdav;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes the temporary resources that writers which died mid-write left behind: the
 * {@code .os-tmp-*} resources that writes and copies {@code PUT} or {@code COPY} next to their
 * target (see {@link WebDavWriter}) and the lock collections of conditional writes (see
 * {@link DavClient#lock(String)}). Only names that exactly match what this library generates are
 * touched (user paths cannot start with the reserved prefix), and only when their
 * {@code getlastmodified} is older than the maximum age. The root's collection tree is walked
 * with {@code PROPFIND Depth: 1}, one collection at a time; hidden collections are not entered.
 * Best effort: a collection that cannot be listed or a resource that cannot be deleted is skipped.
 */
final class WebDavSweeper {

	/** The temporary resource of a write or a copy: the prefix and a {@link DavClient#randomTag()}. */
	static final Pattern TEMP_NAME = Pattern.compile(Pattern.quote(DavClient.TEMP_PREFIX) + "[89a-f][0-9a-f]{15}");

	/** The lock collection of a conditional write: the prefix, {@code lock-} and 16 bytes of SHA-256 in hex. */
	static final Pattern LOCK_NAME = Pattern.compile(Pattern.quote(DavClient.TEMP_PREFIX) + "lock-[0-9a-f]{32}");

	private final DavClient client;

	private final Duration lockTimeout;

	WebDavSweeper(DavClient client, Duration lockTimeout) {
		this.client = client;
		this.lockTimeout = lockTimeout;
	}

	/**
	 * Sweeps the root's collection tree once.
	 * @param maxAge the age from which a temporary resource counts as left behind (a lock
	 * collection also needs to be older than the lock timeout, after which its writer gives up)
	 * @return the number of resources and lock collections deleted
	 */
	Mono<Integer> sweep(Duration maxAge) {
		return Mono.defer(() -> {
			Instant now = Instant.now();
			Instant cutoff = now.minus(maxAge);
			Instant lockCutoff = now.minus((maxAge.compareTo(this.lockTimeout) >= 0) ? maxAge : this.lockTimeout);
			return collection(this.client.rootPrefix(), cutoff, lockCutoff).reduce(0, Integer::sum);
		});
	}

	private Flux<Integer> collection(String fullDirectory, Instant cutoff, Instant lockCutoff) {
		return this.client.members(fullDirectory, null)
			.onErrorResume((ex) -> Mono.just(List.of()))
			.flatMapIterable(Function.identity())
			.concatMap((member) -> {
				String name = this.client.name(member);
				if (name.isEmpty()) {
					return Flux.empty();
				}
				if (member.collection()) {
					if (LOCK_NAME.matcher(name).matches()) {
						return isOlder(member, lockCutoff) ? delete(fullDirectory + name + "/", member) : Flux.empty();
					}
					return DavClient.isHidden(name) ? Flux.empty()
							: collection(fullDirectory + name + "/", cutoff, lockCutoff);
				}
				return (TEMP_NAME.matcher(name).matches() && isOlder(member, cutoff))
						? delete(fullDirectory + name, member) : Flux.empty();
			}, 1);
	}

	private static boolean isOlder(DavResource resource, Instant cutoff) {
		return resource.lastModified() != null && resource.lastModified().isBefore(cutoff);
	}

	/**
	 * Deletes a resource or a lock collection, only if it is still the version that was listed (an
	 * {@code If} header with its entity tag, when it has one): a collection's tag changes when a
	 * member is added, and WebDAV deletes a collection with everything in it.
	 */
	private Mono<Integer> delete(String fullPath, DavResource listed) {
		String url = this.client.url(fullPath);
		String etag = listed.serverEtag();
		return this.client.exchange("DELETE", url, (h) -> {
			if (!listed.collection()) {
				h.set("Depth", "0");
			}
			if (etag != null) {
				h.set("If", "<" + url + "> ([" + etag + "])");
			}
		}, null)
			.map((response) -> (response.status() == 200 || response.status() == 204) ? 1 : 0)
			.onErrorResume((ex) -> Mono.just(0));
	}

}
