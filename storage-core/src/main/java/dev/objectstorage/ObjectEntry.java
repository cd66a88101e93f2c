package dev.objectstorage;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a {@link ObjectStorage#list(String, ListOptions) listing}: an object, or (in a
 * non-recursive listing) a "directory", that is a common prefix whose path ends in {@code /}.
 *
 * @param path the entry's path relative to the storage's root; ends in {@code /} for directories
 * @param isDirectory whether the entry is a directory (common prefix) rather than an object
 * @param size the object's size in bytes, or {@code -1} when unknown (always for directories)
 * @param lastModified when the object was last written, or {@code null} when unknown
 * @param etag the object's entity tag (quoted), or {@code null} when unknown
 */
public record ObjectEntry(String path, boolean isDirectory, long size, @Nullable Instant lastModified,
		@Nullable String etag) {

	/**
	 * An object entry.
	 * @param path the path
	 * @param size the size, or {@code -1}
	 * @param lastModified the modification time, or {@code null}
	 * @param etag the entity tag, or {@code null}
	 * @return the entry
	 */
	public static ObjectEntry object(String path, long size, @Nullable Instant lastModified, @Nullable String etag) {
		return new ObjectEntry(path, false, size, lastModified, etag);
	}

	/**
	 * A directory (common prefix) entry.
	 * @param path the path, ending in {@code /}
	 * @return the entry
	 */
	public static ObjectEntry directory(String path) {
		return new ObjectEntry(path, true, -1, null, null);
	}

}
