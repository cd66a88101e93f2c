package dev.objectstorage;

/**
 * What a backend supports, filled once per backend. {@link ObjectStorage} checks these before it
 * calls the backend: an operation or option that is not supported fails with
 * {@link ErrorKind#UNSUPPORTED}, never silently. Reads, writes, stat, delete and list are always
 * supported.
 * <p>
 * Built with {@link #builder()} or {@link #full()}, so that a new capability can be added without
 * breaking a backend or a caller.
 */
public final class Capabilities {

	private final boolean readWithRange;

	private final boolean readWithIfMatch;

	private final boolean readWithIfNoneMatch;

	private final boolean writeWithIfNotExists;

	private final boolean writeWithIfMatch;

	private final boolean writeWithContentType;

	private final boolean writeWithUserMetadata;

	private final boolean writeWithCacheControl;

	private final boolean writeWithContentDisposition;

	private final boolean listWithRecursive;

	private final boolean listWithStartAfter;

	private final boolean deleteBatch;

	private final boolean copy;

	private final boolean rename;

	private final boolean presignRead;

	private final boolean presignWrite;

	private final boolean lastModified;

	private final boolean segmentsEndingInDot;

	private Capabilities(Builder b) {
		this.readWithRange = b.readWithRange;
		this.readWithIfMatch = b.readWithIfMatch;
		this.readWithIfNoneMatch = b.readWithIfNoneMatch;
		this.writeWithIfNotExists = b.writeWithIfNotExists;
		this.writeWithIfMatch = b.writeWithIfMatch;
		this.writeWithContentType = b.writeWithContentType;
		this.writeWithUserMetadata = b.writeWithUserMetadata;
		this.writeWithCacheControl = b.writeWithCacheControl;
		this.writeWithContentDisposition = b.writeWithContentDisposition;
		this.listWithRecursive = b.listWithRecursive;
		this.listWithStartAfter = b.listWithStartAfter;
		this.deleteBatch = b.deleteBatch;
		this.copy = b.copy;
		this.rename = b.rename;
		this.presignRead = b.presignRead;
		this.presignWrite = b.presignWrite;
		this.lastModified = b.lastModified;
		this.segmentsEndingInDot = b.segmentsEndingInDot;
	}

	/**
	 * A builder with everything off.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder with everything on but presigning and {@code deleteBatch}, the usual start for a backend.
	 * @return a new builder
	 */
	public static Builder full() {
		Builder b = new Builder();
		b.readWithRange = b.readWithIfMatch = b.readWithIfNoneMatch = true;
		b.writeWithIfNotExists = b.writeWithIfMatch = b.writeWithContentType = b.writeWithUserMetadata = true;
		b.writeWithCacheControl = b.writeWithContentDisposition = true;
		b.listWithRecursive = b.listWithStartAfter = b.copy = b.rename = b.lastModified = true;
		b.segmentsEndingInDot = true;
		return b;
	}

	/**
	 * Whether both reads and writes can be presigned.
	 * @return {@code presignRead() && presignWrite()}
	 */
	public boolean presign() {
		return this.presignRead && this.presignWrite;
	}

	/**
	 * Whether the backend supports this: range reads ({@link ReadOptions#range(long, long)}).
	 * @return {@code true} if supported
	 */
	public boolean readWithRange() {
		return this.readWithRange;
	}

	/**
	 * Whether the backend supports this: conditional reads with {@link ReadOptions#withIfMatch(String)}.
	 * @return {@code true} if supported
	 */
	public boolean readWithIfMatch() {
		return this.readWithIfMatch;
	}

	/**
	 * Whether the backend supports this: conditional reads with {@link ReadOptions#withIfNoneMatch(String)}.
	 * @return {@code true} if supported
	 */
	public boolean readWithIfNoneMatch() {
		return this.readWithIfNoneMatch;
	}

	/**
	 * Whether the backend supports this: conditional creation ({@link WriteOptions#withIfNotExists(boolean)}).
	 * @return {@code true} if supported
	 */
	public boolean writeWithIfNotExists() {
		return this.writeWithIfNotExists;
	}

	/**
	 * Whether the backend supports this: conditional replacement ({@link WriteOptions#withIfMatch(String)}).
	 * @return {@code true} if supported
	 */
	public boolean writeWithIfMatch() {
		return this.writeWithIfMatch;
	}

	/**
	 * Whether the backend supports this: the content type is stored and returned by stat.
	 * @return {@code true} if supported
	 */
	public boolean writeWithContentType() {
		return this.writeWithContentType;
	}

	/**
	 * Whether the backend supports this: user metadata is stored and returned by stat.
	 * @return {@code true} if supported
	 */
	public boolean writeWithUserMetadata() {
		return this.writeWithUserMetadata;
	}

	/**
	 * Whether the backend supports this: the cache control value is stored and returned by stat.
	 * @return {@code true} if supported
	 */
	public boolean writeWithCacheControl() {
		return this.writeWithCacheControl;
	}

	/**
	 * Whether the backend supports this: the content disposition is stored and returned by stat.
	 * @return {@code true} if supported
	 */
	public boolean writeWithContentDisposition() {
		return this.writeWithContentDisposition;
	}

	/**
	 * Whether the backend supports this: recursive listings.
	 * @return {@code true} if supported
	 */
	public boolean listWithRecursive() {
		return this.listWithRecursive;
	}

	/**
	 * Whether the backend supports this: listings that start after a given path.
	 * @return {@code true} if supported
	 */
	public boolean listWithStartAfter() {
		return this.listWithStartAfter;
	}

	/**
	 * Whether the backend supports this: {@link ObjectStorage#deleteAll} deletes in batches on the service (otherwise one by one).
	 * @return {@code true} if supported
	 */
	public boolean deleteBatch() {
		return this.deleteBatch;
	}

	/**
	 * Whether the backend supports this: server-side or local copy.
	 * @return {@code true} if supported
	 */
	public boolean copy() {
		return this.copy;
	}

	/**
	 * Whether the backend supports this: rename (move).
	 * @return {@code true} if supported
	 */
	public boolean rename() {
		return this.rename;
	}

	/**
	 * Whether the backend supports this: pre-signed URLs that let a plain HTTP {@code GET} read an object.
	 * @return {@code true} if supported
	 */
	public boolean presignRead() {
		return this.presignRead;
	}

	/**
	 * Whether the backend supports this: pre-signed URLs that let a plain HTTP {@code PUT} write an object (Azure, for one, needs an extra header on such a {@code PUT}, so it signs reads only).
	 * @return {@code true} if supported
	 */
	public boolean presignWrite() {
		return this.presignWrite;
	}

	/**
	 * Whether the backend supports this: stat and list report modification times.
	 * @return {@code true} if supported
	 */
	public boolean lastModified() {
		return this.lastModified;
	}

	/**
	 * Whether the backend supports this: paths may have segments that end in {@code .} (Azure Blob Storage drops such dots, so that {@code a.} would alias {@code a}; where this is off such paths are refused with {@link ErrorKind#INVALID_INPUT}).
	 * @return {@code true} if supported
	 */
	public boolean segmentsEndingInDot() {
		return this.segmentsEndingInDot;
	}

	/**
	 * Every capability by its name, in declaration order (for reports such as the Actuator endpoint).
	 * @return the capabilities
	 */
	public java.util.Map<String, Boolean> asMap() {
		java.util.Map<String, Boolean> map = new java.util.LinkedHashMap<>();
		map.put("readWithRange", this.readWithRange);
		map.put("readWithIfMatch", this.readWithIfMatch);
		map.put("readWithIfNoneMatch", this.readWithIfNoneMatch);
		map.put("writeWithIfNotExists", this.writeWithIfNotExists);
		map.put("writeWithIfMatch", this.writeWithIfMatch);
		map.put("writeWithContentType", this.writeWithContentType);
		map.put("writeWithUserMetadata", this.writeWithUserMetadata);
		map.put("writeWithCacheControl", this.writeWithCacheControl);
		map.put("writeWithContentDisposition", this.writeWithContentDisposition);
		map.put("listWithRecursive", this.listWithRecursive);
		map.put("listWithStartAfter", this.listWithStartAfter);
		map.put("deleteBatch", this.deleteBatch);
		map.put("copy", this.copy);
		map.put("rename", this.rename);
		map.put("presignRead", this.presignRead);
		map.put("presignWrite", this.presignWrite);
		map.put("lastModified", this.lastModified);
		map.put("segmentsEndingInDot", this.segmentsEndingInDot);
		return java.util.Collections.unmodifiableMap(map);
	}

	@Override
	public boolean equals(@org.jspecify.annotations.Nullable Object other) {
		return this == other || (other instanceof Capabilities that && asMap().equals(that.asMap()));
	}

	@Override
	public int hashCode() {
		return asMap().hashCode();
	}

	@Override
	public String toString() {
		return "Capabilities" + asMap();
	}

	/** Builds {@link Capabilities}; every flag starts off unless the builder came from {@link #full()}. */
	public static final class Builder {

		private boolean readWithRange, readWithIfMatch, readWithIfNoneMatch, writeWithIfNotExists, writeWithIfMatch,
				writeWithContentType, writeWithUserMetadata, writeWithCacheControl, writeWithContentDisposition,
				listWithRecursive, listWithStartAfter, deleteBatch, copy, rename, presignRead, presignWrite,
				lastModified, segmentsEndingInDot;

		private Builder() {
		}

		public Builder readWithRange(boolean v) { this.readWithRange = v; return this; }

		public Builder readWithIfMatch(boolean v) { this.readWithIfMatch = v; return this; }

		public Builder readWithIfNoneMatch(boolean v) { this.readWithIfNoneMatch = v; return this; }

		public Builder writeWithIfNotExists(boolean v) { this.writeWithIfNotExists = v; return this; }

		public Builder writeWithIfMatch(boolean v) { this.writeWithIfMatch = v; return this; }

		public Builder writeWithContentType(boolean v) { this.writeWithContentType = v; return this; }

		public Builder writeWithUserMetadata(boolean v) { this.writeWithUserMetadata = v; return this; }

		public Builder writeWithCacheControl(boolean v) { this.writeWithCacheControl = v; return this; }

		public Builder writeWithContentDisposition(boolean v) { this.writeWithContentDisposition = v; return this; }

		public Builder listWithRecursive(boolean v) { this.listWithRecursive = v; return this; }

		public Builder listWithStartAfter(boolean v) { this.listWithStartAfter = v; return this; }

		public Builder deleteBatch(boolean v) { this.deleteBatch = v; return this; }

		public Builder copy(boolean v) { this.copy = v; return this; }

		public Builder rename(boolean v) { this.rename = v; return this; }

		public Builder presignRead(boolean v) { this.presignRead = v; return this; }

		public Builder presignWrite(boolean v) { this.presignWrite = v; return this; }

		/** Sets both {@link #presignRead(boolean)} and {@link #presignWrite(boolean)}. */
		public Builder presign(boolean v) { this.presignRead = v; this.presignWrite = v; return this; }

		public Builder lastModified(boolean v) { this.lastModified = v; return this; }

		public Builder segmentsEndingInDot(boolean v) { this.segmentsEndingInDot = v; return this; }

		public Capabilities build() {
			return new Capabilities(this);
		}

	}

}
