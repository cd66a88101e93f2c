package dev.objectstorage.azblob;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Maps user metadata keys to Azure metadata names and back, reversibly.
 * <p>
 * Keys of this library are lower case and may contain letters, digits, {@code -}, {@code _} and
 * {@code .}; Azure metadata names must be C# identifiers: letters, digits and {@code _}, not
 * starting with a digit. So:
 * <ul>
 * <li>a key that is already an identifier starting with a letter ({@code owner}, {@code my_key}) is
 * stored as it is, so that other Azure clients see the names they expect;</li>
 * <li>any other key is stored as {@code _} followed by the key with each {@code -}, {@code .} and
 * {@code _} written as {@code _} and two hex digits of its code ({@code _2d}, {@code _2e},
 * {@code _5f}): {@code project-id} becomes {@code _project_2did}, {@code 1.0} becomes
 * {@code _1_2e0}, {@code _x} becomes {@code __5fx}.</li>
 * </ul>
 * Names are read back in lower case (Azure keeps their case but compares them ignoring it). A name
 * that starts with {@code _} but is not a valid encoding (written by another client) is returned as
 * it is.
 */
final class MetadataNames {

	private static final char ESCAPE = '_';

	private MetadataNames() {
	}

	static Map<String, String> encode(Map<String, String> metadata) {
		if (metadata.isEmpty()) {
			return Map.of();
		}
		Map<String, String> encoded = new LinkedHashMap<>();
		metadata.forEach((key, value) -> encoded.put(encode(key), value));
		return encoded;
	}

	static Map<String, String> decode(@Nullable Map<String, String> metadata) {
		if (metadata == null || metadata.isEmpty()) {
			return Map.of();
		}
		Map<String, String> decoded = new LinkedHashMap<>();
		metadata.forEach((name, value) -> decoded.put(decode(name), value));
		return decoded;
	}

	static String encode(String key) {
		if (isPlain(key)) {
			return key;
		}
		StringBuilder sb = new StringBuilder(key.length() + 8).append(ESCAPE);
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (isLetterOrDigit(c)) {
				sb.append(c);
			}
			else {
				sb.append(ESCAPE).append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
			}
		}
		return sb.toString();
	}

	static String decode(String name) {
		String n = name.toLowerCase(Locale.ROOT);
		if (n.isEmpty() || n.charAt(0) != ESCAPE) {
			return n;
		}
		StringBuilder sb = new StringBuilder(n.length());
		for (int i = 1; i < n.length(); i++) {
			char c = n.charAt(i);
			if (c != ESCAPE) {
				sb.append(c);
				continue;
			}
			int hi = (i + 2 < n.length()) ? Character.digit(n.charAt(i + 1), 16) : -1;
			int lo = (hi >= 0) ? Character.digit(n.charAt(i + 2), 16) : -1;
			char decoded = (char) ((hi << 4) | lo);
			if (lo < 0 || (decoded != '-' && decoded != '.' && decoded != '_')) {
				return n; // not written by this library
			}
			sb.append(decoded);
			i += 2;
		}
		String key = sb.toString();
		// only a name this library wrote decodes; another client's '_x' stays as it is
		return encode(key).equals(n) ? key : n;
	}

	private static boolean isPlain(String key) {
		if (key.isEmpty() || !(key.charAt(0) >= 'a' && key.charAt(0) <= 'z')) {
			return false;
		}
		for (int i = 1; i < key.length(); i++) {
			char c = key.charAt(i);
			if (!isLetterOrDigit(c) && c != '_') {
				return false;
			}
		}
		return true;
	}

	private static boolean isLetterOrDigit(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

}
