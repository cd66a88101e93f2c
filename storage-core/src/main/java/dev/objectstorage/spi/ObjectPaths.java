package dev.objectstorage.spi;

import dev.objectstorage.StorageException;
import dev.objectstorage.ErrorKind;
import java.nio.charset.StandardCharsets;

/**
 * Validates and normalises object paths and list prefixes. {@link dev.objectstorage.ObjectStorage} calls this once
 * per operation, before any backend sees a path, so every backend gets the same, safe input.
 * <p>
 * Rules: paths are {@code /}-separated and relative to the storage's root; leading {@code /}s are
 * dropped ({@code /a/b} is {@code a/b}). Rejected with {@link ErrorKind#INVALID_INPUT}: an empty
 * path, empty segments ({@code a//b}), {@code .} and {@code ..} segments, control characters
 * (C0 including NUL, DEL and C1), bidirectional formatting characters (U+061C, U+200E, U+200F,
 * U+202A to U+202E, U+2066 to U+2069: they make a name display as another), backslashes (a separator on some systems), unpaired surrogates, segments longer
 * than 255 and paths longer than 1024 bytes in UTF-8 (the limits of common filesystems and of S3),
 * and for objects a trailing {@code /} (that names a directory). Everything else, including spaces,
 * Unicode, {@code + % # ? & =}, is a legal name and is kept as is.
 */
public final class ObjectPaths {

	/** The longest path, in UTF-8 bytes. */
	public static final int MAX_PATH_BYTES = 1024;

	/** The longest path segment, in UTF-8 bytes. */
	public static final int MAX_SEGMENT_BYTES = 255;

	private ObjectPaths() {
	}

	/** The invisible characters that reorder how text displays (Unicode's bidi formatting characters). */
	private static boolean isBidiControl(char c) {
		return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
	}

	/**
	 * Validates and normalises the path of an object.
	 * @param path the path as given
	 * @return the normalised path (no leading {@code /})
	 * @throws StorageException of kind {@link ErrorKind#INVALID_INPUT} if the path is not valid
	 */
	public static String object(String path) {
		return normalise(path, "path", false);
	}

	/**
	 * Validates and normalises a list prefix, which may be empty (everything) or end in {@code /}.
	 * @param prefix the prefix as given
	 * @return the normalised prefix (no leading {@code /})
	 * @throws StorageException of kind {@link ErrorKind#INVALID_INPUT} if the prefix is not valid
	 */
	public static String prefix(String prefix) {
		return normalise(prefix, "prefix", true);
	}

	/**
	 * Validates and normalises a path argument with the given name (used in the error message).
	 * @param path the path as given
	 * @param argument the argument's name, for example {@code source}
	 * @return the normalised path
	 */
	public static String object(String path, String argument) {
		return normalise(path, argument, false);
	}

	private static String normalise(String path, String argument, boolean prefix) {
		if (path == null) {
			throw StorageException.invalidInput(argument + " must not be null");
		}
		int start = 0;
		while (start < path.length() && path.charAt(start) == '/') {
			start++;
		}
		String p = path.substring(start);
		if (p.isEmpty()) {
			if (prefix) {
				return p;
			}
			throw StorageException.invalidInput(argument + " must not be empty");
		}
		if (!prefix && p.charAt(p.length() - 1) == '/') {
			throw StorageException.invalidInput(argument + " must not end with '/' (that names a directory): "
					+ printable(p));
		}
		int segmentStart = 0;
		for (int i = 0; i <= p.length(); i++) {
			char c = (i < p.length()) ? p.charAt(i) : '/';
			if (c == '/') {
				checkSegment(p, segmentStart, i, argument, prefix && i == p.length());
				segmentStart = i + 1;
				continue;
			}
			if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
				throw StorageException.invalidInput(argument + " must not contain control characters (found U+"
						+ String.format("%04X", (int) c) + " at index " + (start + i) + ")");
			}
			if (isBidiControl(c)) {
				throw StorageException.invalidInput(argument + " must not contain bidirectional formatting characters"
						+ " (found U+" + String.format("%04X", (int) c) + " at index " + (start + i)
						+ "): they make a name display as another, such as 'gpj.exe' as 'exe.jpg'");
			}
			if (c == '\\') {
				throw StorageException.invalidInput(argument + " must not contain '\\' (at index " + (start + i)
						+ "): use '/' to separate segments");
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= p.length() || !Character.isLowSurrogate(p.charAt(i + 1))) {
					throw StorageException.invalidInput(argument + " contains an unpaired surrogate at index "
							+ (start + i));
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				throw StorageException.invalidInput(argument + " contains an unpaired surrogate at index "
						+ (start + i));
			}
		}
		int bytes = utf8Length(p);
		if (bytes > MAX_PATH_BYTES) {
			throw StorageException.invalidInput(argument + " is " + bytes + " bytes long in UTF-8, more than "
					+ MAX_PATH_BYTES);
		}
		return p;
	}

	private static void checkSegment(String p, int from, int to, String argument, boolean trailingPrefixEnd) {
		int length = to - from;
		if (length == 0) {
			if (trailingPrefixEnd) {
				return; // "dir/" as a prefix: the empty segment after the last '/'
			}
			throw StorageException.invalidInput(argument + " must not contain empty segments ('//'): "
					+ printable(p));
		}
		if (length == 1 && p.charAt(from) == '.' || length == 2 && p.charAt(from) == '.' && p.charAt(from + 1) == '.') {
			throw StorageException.invalidInput(argument + " must not contain '.' or '..' segments: " + printable(p));
		}
		if (length > MAX_SEGMENT_BYTES / 3 && utf8Length(p.substring(from, to)) > MAX_SEGMENT_BYTES) {
			throw StorageException.invalidInput(argument + " has a segment longer than " + MAX_SEGMENT_BYTES
					+ " bytes in UTF-8");
		}
	}

	private static int utf8Length(String s) {
		int n = s.length();
		for (int i = 0; i < s.length(); i++) {
			if (s.charAt(i) >= 0x80) {
				return s.getBytes(StandardCharsets.UTF_8).length;
			}
		}
		return n;
	}

	private static String printable(String p) {
		return (p.length() > 200) ? p.substring(0, 200) + "..." : p;
	}

}
