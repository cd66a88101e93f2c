package dev.objectstorage.sample;

import java.time.Instant;
import java.util.Map;

import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import org.jspecify.annotations.Nullable;

/**
 * What the API tells about a file or a directory.
 *
 * @param path the path
 * @param directory whether it is a directory of a non-recursive listing
 * @param size the size in bytes ({@code -1} for directories)
 * @param etag the entity tag, or {@code null}
 * @param lastModified when it was written, or {@code null}
 * @param contentType the content type, or {@code null}
 * @param metadata user metadata
 */
public record FileInfo(String path, boolean directory, long size, @Nullable String etag,
		@Nullable Instant lastModified, @Nullable String contentType, Map<String, String> metadata) {

	static FileInfo of(ObjectMetadata meta) {
		return new FileInfo(meta.path(), false, meta.size(), meta.etag(), meta.lastModified(), meta.contentType(),
				meta.userMetadata());
	}

	static FileInfo of(ObjectEntry entry) {
		return new FileInfo(entry.path(), entry.isDirectory(), entry.size(), entry.etag(), entry.lastModified(), null,
				Map.of());
	}

}
