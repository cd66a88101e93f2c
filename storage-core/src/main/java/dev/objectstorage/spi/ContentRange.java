package dev.objectstorage.spi;

import org.jspecify.annotations.Nullable;

/**
 * A parsed HTTP {@code Content-Range} of a partial answer ({@code bytes 0-99/1234}), for backends
 * that check that a server served the range they asked for.
 *
 * @param start the first byte served
 * @param length how many bytes were served
 * @param size the whole object's size
 */
public record ContentRange(long start, long length, long size) {

	/**
	 * Parses a {@code Content-Range} header value.
	 * @param value the value, or {@code null}
	 * @return the range, or {@code null} if there is none or it is not {@code bytes first-last/size}
	 * with a known size
	 */
	public static @Nullable ContentRange parse(@Nullable String value) {
		if (value == null) {
			return null;
		}
		String v = value.trim();
		if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
			return null;
		}
		int dash = v.indexOf('-', 6);
		int slash = v.indexOf('/', 6);
		if (dash < 0 || slash < dash) {
			return null;
		}
		try {
			long first = Long.parseLong(v.substring(6, dash).trim());
			long last = Long.parseLong(v.substring(dash + 1, slash).trim());
			long size = Long.parseLong(v.substring(slash + 1).trim());
			if (first < 0 || last < first || size <= last) {
				return null;
			}
			return new ContentRange(first, last - first + 1, size);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * The whole object's size a {@code Content-Range} value states ({@code bytes 0-99/1234}, also
	 * {@code bytes *&#47;1234}, or an empty range some servers send, such as {@code bytes 100-99/100}).
	 * @param value the value, or {@code null}
	 * @return the size, or {@code -1} if none is stated
	 */
	public static long totalSize(@Nullable String value) {
		if (value == null) {
			return -1;
		}
		int slash = value.lastIndexOf('/');
		if (slash < 0) {
			return -1;
		}
		try {
			long size = Long.parseLong(value.substring(slash + 1).trim());
			return (size >= 0) ? size : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
