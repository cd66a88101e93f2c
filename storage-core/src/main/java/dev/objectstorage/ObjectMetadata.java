package dev.objectstorage;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a storage knows about one object, as returned by {@link ObjectStorage#stat(String)} and by writes.
 *
 * @param path the object's normalised path, relative to the storage's root
 * @param size the size in bytes
 * @param etag a strong HTTP entity tag in quoted form (for example {@code "\"5d41402a\""}) that changes
 * whenever the content changes; usable as is in an {@code ETag} header
 * @param lastModified when the object was last written, or {@code null} if the backend does not know
 * @param contentType the content type given when the object was written, or {@code null}
 * @param userMetadata user metadata given when the object was written (keys in lower case); never {@code null}
 * @param cacheControl the {@code Cache-Control} value given when the object was written, or {@code null}
 * @param contentDisposition the {@code Content-Disposition} value given when written, or {@code null}
 * @param version the backend's version identifier, or {@code null} where the backend has no versions
 */
public record ObjectMetadata(String path, long size, String etag, @Nullable Instant lastModified,
		@Nullable String contentType, Map<String, String> userMetadata, @Nullable String cacheControl,
		@Nullable String contentDisposition, @Nullable String version) {

	public ObjectMetadata {
		userMetadata = (userMetadata != null) ? Map.copyOf(userMetadata) : Map.of();
	}

	/**
	 * Returns a copy with another path (used by backends that work with keys under a root).
	 * @param path the new path
	 * @return a copy
	 */
	public ObjectMetadata withPath(String path) {
		return new ObjectMetadata(path, this.size, this.etag, this.lastModified, this.contentType, this.userMetadata,
				this.cacheControl, this.contentDisposition, this.version);
	}

}
