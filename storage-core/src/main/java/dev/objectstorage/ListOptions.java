package dev.objectstorage;

import org.jspecify.annotations.Nullable;

/**
 * Options of a listing. Immutable; the {@code with...} methods return copies.
 *
 * @param recursive list every object under the prefix ({@code true}) or only the next level, with
 * deeper levels as directory entries ending in {@code /} ({@code false}, the default)
 * @param startAfter only list entries whose path sorts after this one, or {@code null}
 * @param limit the maximum number of entries emitted in total ({@link Long#MAX_VALUE} for no limit)
 */
public record ListOptions(boolean recursive, @Nullable String startAfter, long limit) {

	private static final ListOptions DEFAULTS = new ListOptions(false, null, Long.MAX_VALUE);

	public ListOptions {
		if (limit < 0) {
			throw StorageException.invalidInput("limit must not be negative, was " + limit);
		}
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

}
