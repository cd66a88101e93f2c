package dev.objectstorage.sample;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A single HTTP byte range resolved against an object's size (RFC 9110, section 14). What
 * {@link #parse} answers:
 * <ul>
 * <li>{@code null}: serve the whole object (no header, or one this server ignores as RFC 9110
 * allows: another unit, bad syntax, several ranges);</li>
 * <li>an {@linkplain #unsatisfiable() unsatisfiable} range: answer 416;</li>
 * <li>otherwise the first byte and the length to send with 206.</li>
 * </ul>
 * Spring's {@code HttpRange} parses too, but throws on what the RFC says to ignore and cannot tell
 * ignorable from unsatisfiable, so the few lines are written here.
 *
 * @param start the first byte
 * @param length the number of bytes ({@code 0} for unsatisfiable)
 */
public record ByteRange(long start, long length) {

	private static final Pattern SPEC = Pattern.compile("(\\d{0,19})-(\\d{0,19})");

	private static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0);

	/**
	 * Whether the range starts past the end (answer 416).
	 * @return {@code true} if unsatisfiable
	 */
	public boolean unsatisfiable() {
		return this.start < 0;
	}

	/**
	 * The last byte of the range.
	 * @return the last byte's offset
	 */
	public long end() {
		return this.start + this.length - 1;
	}

	/**
	 * Resolves a {@code Range} header against an object's size.
	 * @param header the header's value, or {@code null}
	 * @param size the object's size
	 * @return the range, {@link #unsatisfiable()} one, or {@code null} to send everything
	 */
	public static @Nullable ByteRange parse(@Nullable String header, long size) {
		if (header == null) {
			return null;
		}
		String value = header.trim();
		if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
			return null; // another unit: ignore
		}
		String spec = value.substring(6).trim();
		if (spec.indexOf(',') >= 0) {
			return null; // several ranges: this server sends the whole representation instead
		}
		Matcher matcher = SPEC.matcher(spec);
		if (!matcher.matches()) {
			return null; // malformed: ignore
		}
		String first = matcher.group(1);
		String last = matcher.group(2);
		if (first.isEmpty()) {
			if (last.isEmpty()) {
				return null;
			}
			long suffix = parse(last);
			if (suffix == 0 || size == 0) {
				return UNSATISFIABLE;
			}
			long n = Math.min(suffix, size);
			return new ByteRange(size - n, n);
		}
		long start = parse(first);
		long end = last.isEmpty() ? Long.MAX_VALUE : parse(last);
		if (end < start) {
			return null; // invalid: ignore
		}
		if (start >= size) {
			return UNSATISFIABLE;
		}
		end = Math.min(end, size - 1);
		return new ByteRange(start, end - start + 1);
	}

	/**
	 * A {@code Range} header as asked, before the object's size is known: what to open.
	 *
	 * @param first the first byte, or {@code -1} for a suffix range
	 * @param last the last byte ({@code -1} for "to the end"), or the suffix's length
	 */
	public record Request(long first, long last) {

		/**
		 * Whether this is a suffix range ({@code bytes=-500}: the last 500 bytes), which needs the size.
		 * @return {@code true} for a suffix range
		 */
		public boolean isSuffix() {
			return this.first < 0;
		}

		/**
		 * How many bytes from {@link #first()} to read.
		 * @return the length, or {@code -1} for "to the end"
		 */
		public long length() {
			if (this.last < 0 || this.last == Long.MAX_VALUE) {
				return -1;
			}
			long length = this.last - this.first + 1;
			return (this.first > Long.MAX_VALUE - length) ? -1 : length;
		}

	}

	/**
	 * What a {@code Range} header asks for, by the same rules as {@link #parse}: {@code null} to send
	 * everything.
	 * @param header the header's value, or {@code null}
	 * @return the request, or {@code null}
	 */
	public static @Nullable Request request(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String value = header.trim();
		if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
			return null;
		}
		String spec = value.substring(6).trim();
		if (spec.indexOf(',') >= 0) {
			return null;
		}
		Matcher matcher = SPEC.matcher(spec);
		if (!matcher.matches()) {
			return null;
		}
		String first = matcher.group(1);
		String last = matcher.group(2);
		if (first.isEmpty()) {
			return last.isEmpty() ? null : new Request(-1, parse(last));
		}
		long start = parse(first);
		long end = last.isEmpty() ? -1 : parse(last);
		if (end >= 0 && end < start) {
			return null;
		}
		return new Request(start, end);
	}

	/** Parses digits, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
	private static long parse(String digits) {
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

}
