package dev.objectstorage;

/**
 * What a backend supports, filled once per backend. {@link ObjectStorage} checks these before it
 * calls the backend: an operation or option that is not supported fails with
 * {@link ErrorKind#UNSUPPORTED}, never silently. Reads, writes, stat, delete and list are always
 * supported.
 *
 * @param readWithRange range reads ({@link ReadOptions#range(long, long)})
 * @param readWithIfMatch conditional reads with {@link ReadOptions#withIfMatch(String)}
 * @param readWithIfNoneMatch conditional reads with {@link ReadOptions#withIfNoneMatch(String)}
 * @param writeWithIfNotExists conditional creation ({@link WriteOptions#withIfNotExists(boolean)})
 * @param writeWithIfMatch conditional replacement ({@link WriteOptions#withIfMatch(String)})
 * @param writeWithContentType the content type is stored and returned by stat
 * @param writeWithUserMetadata user metadata is stored and returned by stat
 * @param writeWithCacheControl the cache control value is stored and returned by stat
 * @param writeWithContentDisposition the content disposition is stored and returned by stat
 * @param listWithRecursive recursive listings
 * @param listWithStartAfter listings that start after a given path
 * @param deleteBatch {@link ObjectStorage#deleteAll} deletes in batches on the service (otherwise one by one)
 * @param copy server-side or local copy
 * @param rename rename (move)
 * @param presignRead pre-signed URLs that let a plain HTTP {@code GET} read an object
 * @param presignWrite pre-signed URLs that let a plain HTTP {@code PUT} write an object (Azure, for
 * one, needs an extra header on such a {@code PUT}, so it signs reads only)
 * @param lastModified stat and list report modification times
 * @param segmentsEndingInDot paths may have segments that end in {@code .} (Azure Blob Storage drops
 * such dots, so that {@code a.} would alias {@code a}; where this is off such paths are refused with
 * {@link ErrorKind#INVALID_INPUT})
 */
public record Capabilities(boolean readWithRange, boolean readWithIfMatch, boolean readWithIfNoneMatch,
		boolean writeWithIfNotExists, boolean writeWithIfMatch, boolean writeWithContentType,
		boolean writeWithUserMetadata, boolean writeWithCacheControl, boolean writeWithContentDisposition,
		boolean listWithRecursive, boolean listWithStartAfter, boolean deleteBatch, boolean copy, boolean rename,
		boolean presignRead, boolean presignWrite, boolean lastModified, boolean segmentsEndingInDot) {

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
			return new Capabilities(this.readWithRange, this.readWithIfMatch, this.readWithIfNoneMatch,
					this.writeWithIfNotExists, this.writeWithIfMatch, this.writeWithContentType,
					this.writeWithUserMetadata, this.writeWithCacheControl, this.writeWithContentDisposition,
					this.listWithRecursive, this.listWithStartAfter, this.deleteBatch, this.copy, this.rename,
					this.presignRead, this.presignWrite, this.lastModified, this.segmentsEndingInDot);
		}

	}

}
