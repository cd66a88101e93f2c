package dev.objectstorage.webdav;

import java.time.Instant;
import java.util.Map;

import dev.objectstorage.ObjectMetadata;
import org.jspecify.annotations.Nullable;

/**
 * One {@code DAV:response} of a multistatus answer to {@code PROPFIND}: a resource's live properties
 * and the dead properties this library keeps (see {@link DavXml}).
 *
 * @param href the resource's href, as the server wrote it (percent-encoded)
 * @param collection whether it is a collection (a directory)
 * @param size the {@code getcontentlength}, or {@code -1} when absent
 * @param lastModified the {@code getlastmodified}, or {@code null}
 * @param serverEtag the server's {@code getetag}, possibly weak, or {@code null}
 * @param tag the random tag of the write that made this version, or {@code null} (written by another client)
 * @param contentType the stored content type, or {@code null}
 * @param cacheControl the stored cache control, or {@code null}
 * @param contentDisposition the stored content disposition, or {@code null}
 * @param userMetadata the stored user metadata
 */
record DavResource(String href, boolean collection, long size, @Nullable Instant lastModified,
		@Nullable String serverEtag, @Nullable String tag, @Nullable String contentType, @Nullable String cacheControl,
		@Nullable String contentDisposition, Map<String, String> userMetadata) {

	/**
	 * Whether this is an object: a non-collection with a length. A resource without a length is a
	 * lock-null resource (locked, but never written) in httpd's answers.
	 */
	boolean isObject() {
		return !this.collection && this.size >= 0;
	}

	/**
	 * The entity tag this library exposes: the server's tag without a weak prefix (httpd marks tags
	 * weak for a second after a change, then strong, for the same version), followed by the write's
	 * random tag. httpd's tags are made of size and modification time, which do not tell apart two
	 * same-size versions written within the file system's time granularity; the random tag does, and
	 * the server's part still changes when another client rewrites the object.
	 */
	String etag() {
		String server = bare(this.serverEtag);
		if (server == null) {
			server = Long.toHexString(Math.max(this.size, 0)) + "-"
					+ ((this.lastModified != null) ? Long.toHexString(this.lastModified.toEpochMilli()) : "0");
		}
		return "\"" + ((this.tag != null) ? server + "-" + this.tag : server) + "\"";
	}

	ObjectMetadata metadata(String path) {
		return ObjectMetadata.builder(path, Math.max(this.size, 0), etag())
			.lastModified(this.lastModified)
			.contentType(this.contentType)
			.userMetadata(this.userMetadata)
			.cacheControl(this.cacheControl)
			.contentDisposition(this.contentDisposition)
			.build();
	}

	/** An entity tag without weak prefix and quotes, or {@code null}. */
	static @Nullable String bare(@Nullable String etag) {
		if (etag == null) {
			return null;
		}
		String t = etag.trim();
		if (t.startsWith("W/")) {
			t = t.substring(2);
		}
		if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
			t = t.substring(1, t.length() - 1);
		}
		return t.isEmpty() ? null : t;
	}

}
