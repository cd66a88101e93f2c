package dev.objectstorage;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a {@link ObjectStorage#list(String, ListOptions) listing}: an object, or (in a
 * non-recursive listing) a "directory", that is a common prefix whose path ends in {@code /}.
 */
public final class ObjectEntry {

	private final String path;

	private final boolean isDirectory;

	private final long size;

	private final @Nullable Instant lastModified;

	private final @Nullable String etag;

	private ObjectEntry(String path, boolean isDirectory, long size, @Nullable Instant lastModified, @Nullable String etag) {
		this.path = path;
		this.isDirectory = isDirectory;
		this.size = size;
		this.lastModified = lastModified;
		this.etag = etag;
	}

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

	/**
	 * The entry's path relative to the storage's root; ends in {@code /} for directories.
	 * @return this entry's path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Whether the entry is a directory (common prefix) rather than an object.
	 * @return this entry's isDirectory
	 */
	public boolean isDirectory() {
		return this.isDirectory;
	}

	/**
	 * The object's size in bytes, or {@code -1} when unknown (always for directories).
	 * @return this entry's size
	 */
	public long size() {
		return this.size;
	}

	/**
	 * When the object was last written, or {@code null} when unknown.
	 * @return this entry's lastModified
	 */
	public @Nullable Instant lastModified() {
		return this.lastModified;
	}

	/**
	 * The object's entity tag (quoted), or {@code null} when unknown.
	 * @return this entry's etag
	 */
	public @Nullable String etag() {
		return this.etag;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ObjectEntry that && java.util.Objects.equals(this.path, that.path) && this.isDirectory == that.isDirectory && this.size == that.size && java.util.Objects.equals(this.lastModified, that.lastModified) && java.util.Objects.equals(this.etag, that.etag));
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.path, this.isDirectory, this.size, this.lastModified, this.etag);
	}

	@Override
	public String toString() {
		return "ObjectEntry[path=" + this.path + ", isDirectory=" + this.isDirectory + ", size=" + this.size + ", lastModified=" + this.lastModified + ", etag=" + this.etag + "]";
	}

}
