package dev.objectstorage.spi;

import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * Tells a layer which version of an object a read is streaming, so that a read broken midway can
 * resume from the next byte of the same version ({@code ifMatch} on its entity tag) instead of
 * splicing two versions. A layer puts a {@code ReadVersion} in the subscriber context of a read
 * ({@code contextWrite(ctx -> ctx.put(ReadVersion.class, version))}); a backend whose reads can
 * break midway with a temporary error (a network service) reports the entity tag as soon as it
 * knows it, with {@link #report(ContextView, String)}. Backends whose reads do not break that way
 * (local files, memory) need not report.
 */
public final class ReadVersion {

	private volatile @Nullable String etag;

	/**
	 * Reports the entity tag of the version a read streams, if a layer asked for it.
	 * @param context the read's subscriber context
	 * @param etag the entity tag
	 */
	public static void report(ContextView context, @Nullable String etag) {
		if (etag == null) {
			return;
		}
		Object version = context.getOrDefault(ReadVersion.class, null);
		if (version instanceof ReadVersion readVersion) {
			readVersion.etag = etag;
		}
	}

	/**
	 * The entity tag the backend reported.
	 * @return the tag, or {@code null} if none was reported
	 */
	public @Nullable String etag() {
		return this.etag;
	}

}
