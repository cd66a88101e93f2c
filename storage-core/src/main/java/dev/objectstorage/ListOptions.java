package dev.objectstorage;

import org.jspecify.annotations.Nullable;

/**
 * Options of a listing. Immutable; the {@code with...} methods return copies.
 */
public final class ListOptions {

	private static final ListOptions DEFAULTS = new ListOptions(false, null, Long.MAX_VALUE);

	private final boolean recursive;

	private final @Nullable String startAfter;

	private final long limit;

	private ListOptions(boolean recursive, @Nullable String startAfter, long limit) {
		if (limit < 0) {
			throw StorageException.invalidInput("limit must not be negative, was " + limit);
		}
		this.recursive = recursive;
		this.startAfter = startAfter;
		this.limit = limit;
	}

	/**
	 * Non-recursive, from the start, no limit.
	 * @return the default options
	 */
	public static ListOptions defaults() {
		return DEFAULTS;
	}

	public ListOptions withRecursive(boolean recursive) {
		return new ListOptions(recursive, this.startAfter, this.limit);
	}

	public ListOptions withStartAfter(@Nullable String startAfter) {
		return new ListOptions(this.recursive, startAfter, this.limit);
	}

	public ListOptions withLimit(long limit) {
		return new ListOptions(this.recursive, this.startAfter, limit);
	}

	/**
	 * List every object under the prefix ({@code true}) or only the next level, with deeper levels as directory entries ending in {@code /} ({@code false}, the default).
	 * @return this option's recursive
	 */
	public boolean recursive() {
		return this.recursive;
	}

	/**
	 * Only list entries whose path sorts after this one, or {@code null}.
	 * @return this option's startAfter
	 */
	public @Nullable String startAfter() {
		return this.startAfter;
	}

	/**
	 * The maximum number of entries emitted in total ({@link Long#MAX_VALUE} for no limit).
	 * @return this option's limit
	 */
	public long limit() {
		return this.limit;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ListOptions that && this.recursive == that.recursive && java.util.Objects.equals(this.startAfter, that.startAfter) && this.limit == that.limit);
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.recursive, this.startAfter, this.limit);
	}

	@Override
	public String toString() {
		return "ListOptions[recursive=" + this.recursive + ", startAfter=" + this.startAfter + ", limit=" + this.limit + "]";
	}

}
