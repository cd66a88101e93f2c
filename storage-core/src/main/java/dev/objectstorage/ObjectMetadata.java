package dev.objectstorage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a storage knows about one object, as returned by {@link ObjectStorage#stat(String)}, by writes
 * and with every read ({@link ObjectContent#metadata()}). Immutable.
 * <p>
 * Built with {@link #builder(String, long, String)} (backends do that), so that a new attribute can be
 * added without breaking anyone who builds or reads metadata.
 */
public final class ObjectMetadata {

	private final String path;

	private final long size;

	private final String etag;

	private final @Nullable Instant lastModified;

	private final @Nullable String contentType;

	private final Map<String, String> userMetadata;

	private final @Nullable String cacheControl;

	private final @Nullable String contentDisposition;

	private final @Nullable String version;

	private ObjectMetadata(Builder b) {
		this.path = Objects.requireNonNull(b.path, "path");
		this.size = b.size;
		this.etag = b.etag;
		this.lastModified = b.lastModified;
		this.contentType = b.contentType;
		this.userMetadata = (b.userMetadata != null) ? Map.copyOf(b.userMetadata) : Map.of();
		this.cacheControl = b.cacheControl;
		this.contentDisposition = b.contentDisposition;
		this.version = b.version;
	}

	/**
	 * Starts metadata with the three attributes every object has.
	 * @param path the object's normalised path, relative to the storage's root
	 * @param size the size in bytes
	 * @param etag a strong entity tag in quoted form
	 * @return a builder
	 */
	public static Builder builder(String path, long size, String etag) {
		return new Builder(path, size, etag);
	}

	/**
	 * A builder that starts from this metadata.
	 * @return a builder with every attribute of this one
	 */
	public Builder toBuilder() {
		return new Builder(this.path, this.size, this.etag).lastModified(this.lastModified)
			.contentType(this.contentType)
			.userMetadata(this.userMetadata)
			.cacheControl(this.cacheControl)
			.contentDisposition(this.contentDisposition)
			.version(this.version);
	}

	/**
	 * The object's normalised path, relative to the storage's root.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * The size in bytes.
	 * @return the size
	 */
	public long size() {
		return this.size;
	}

	/**
	 * A strong HTTP entity tag in quoted form (for example {@code "\"5d41402a\""}) that changes whenever
	 * the content changes; usable as is in an {@code ETag} header.
	 * @return the entity tag
	 */
	public String etag() {
		return this.etag;
	}

	/**
	 * When the object was last written.
	 * @return the time, or {@code null} if the backend does not know
	 */
	public @Nullable Instant lastModified() {
		return this.lastModified;
	}

	/**
	 * The content type given when the object was written.
	 * @return the content type, or {@code null}
	 */
	public @Nullable String contentType() {
		return this.contentType;
	}

	/**
	 * User metadata given when the object was written (keys in lower case).
	 * @return the user metadata, never {@code null}
	 */
	public Map<String, String> userMetadata() {
		return this.userMetadata;
	}

	/**
	 * The {@code Cache-Control} value given when the object was written.
	 * @return the value, or {@code null}
	 */
	public @Nullable String cacheControl() {
		return this.cacheControl;
	}

	/**
	 * The {@code Content-Disposition} value given when the object was written.
	 * @return the value, or {@code null}
	 */
	public @Nullable String contentDisposition() {
		return this.contentDisposition;
	}

	/**
	 * The backend's version identifier.
	 * @return the version, or {@code null} where the backend has no versions
	 */
	public @Nullable String version() {
		return this.version;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof ObjectMetadata that && this.size == that.size && this.path.equals(that.path)
				&& Objects.equals(this.etag, that.etag) && Objects.equals(this.lastModified, that.lastModified)
				&& Objects.equals(this.contentType, that.contentType) && this.userMetadata.equals(that.userMetadata)
				&& Objects.equals(this.cacheControl, that.cacheControl)
				&& Objects.equals(this.contentDisposition, that.contentDisposition)
				&& Objects.equals(this.version, that.version);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.path, this.size, this.etag, this.lastModified, this.contentType, this.userMetadata,
				this.cacheControl, this.contentDisposition, this.version);
	}

	@Override
	public String toString() {
		return "ObjectMetadata[path=" + this.path + ", size=" + this.size + ", etag=" + this.etag + ", lastModified="
				+ this.lastModified + ", contentType=" + this.contentType + ", userMetadata=" + this.userMetadata
				+ ", cacheControl=" + this.cacheControl + ", contentDisposition=" + this.contentDisposition
				+ ", version=" + this.version + "]";
	}

	/** Builds {@link ObjectMetadata}; attributes not set are {@code null} (user metadata: empty). */
	public static final class Builder {

		private String path;

		private final long size;

		private final String etag;

		private @Nullable Instant lastModified;

		private @Nullable String contentType;

		private @Nullable Map<String, String> userMetadata;

		private @Nullable String cacheControl;

		private @Nullable String contentDisposition;

		private @Nullable String version;

		private Builder(String path, long size, String etag) {
			this.path = Objects.requireNonNull(path, "path");
			this.size = size;
			this.etag = etag;
		}

		/**
		 * Sets the path (for a copy under another name).
		 * @param path the path
		 * @return this builder
		 */
		public Builder path(String path) {
			this.path = Objects.requireNonNull(path, "path");
			return this;
		}

		/**
		 * Sets when the object was last written.
		 * @param lastModified the time, or {@code null}
		 * @return this builder
		 */
		public Builder lastModified(@Nullable Instant lastModified) {
			this.lastModified = lastModified;
			return this;
		}

		/**
		 * Sets the content type.
		 * @param contentType the content type, or {@code null}
		 * @return this builder
		 */
		public Builder contentType(@Nullable String contentType) {
			this.contentType = contentType;
			return this;
		}

		/**
		 * Sets the user metadata.
		 * @param userMetadata the user metadata, or {@code null} for none
		 * @return this builder
		 */
		public Builder userMetadata(@Nullable Map<String, String> userMetadata) {
			this.userMetadata = userMetadata;
			return this;
		}

		/**
		 * Sets the {@code Cache-Control} value.
		 * @param cacheControl the value, or {@code null}
		 * @return this builder
		 */
		public Builder cacheControl(@Nullable String cacheControl) {
			this.cacheControl = cacheControl;
			return this;
		}

		/**
		 * Sets the {@code Content-Disposition} value.
		 * @param contentDisposition the value, or {@code null}
		 * @return this builder
		 */
		public Builder contentDisposition(@Nullable String contentDisposition) {
			this.contentDisposition = contentDisposition;
			return this;
		}

		/**
		 * Sets the content type, user metadata, cache control and content disposition a write asked for.
		 * @param options the write's options
		 * @return this builder
		 */
		public Builder attributesOf(WriteOptions options) {
			return contentType(options.contentType()).userMetadata(options.userMetadata())
				.cacheControl(options.cacheControl())
				.contentDisposition(options.contentDisposition());
		}

		/**
		 * Sets the backend's version identifier.
		 * @param version the version, or {@code null}
		 * @return this builder
		 */
		public Builder version(@Nullable String version) {
			this.version = version;
			return this;
		}

		/**
		 * Builds the metadata.
		 * @return the metadata
		 */
		public ObjectMetadata build() {
			return new ObjectMetadata(this);
		}

	}

}
