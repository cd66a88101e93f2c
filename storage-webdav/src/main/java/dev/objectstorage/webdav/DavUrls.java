package dev.objectstorage.webdav;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encoding of paths in URLs: every byte of a segment but the RFC 3986 unreserved characters is
 * percent-encoded (as UTF-8), and segments that start with {@code .} or {@code ~} can be escaped
 * with a {@code ~} in front, for servers that hide dot names.
 */
final class DavUrls {

	private DavUrls() {
	}

	/** Puts a {@code ~} in front of every segment that starts with {@code .} or {@code ~}. */
	static String escapeDots(String path) {
		if (!path.startsWith(".") && !path.startsWith("~") && !path.contains("/.") && !path.contains("/~")) {
			return path;
		}
		StringBuilder out = new StringBuilder(path.length() + 4);
		int start = 0;
		while (start <= path.length()) {
			int slash = path.indexOf('/', start);
			int end = (slash < 0) ? path.length() : slash;
			if (end > start && (path.charAt(start) == '.' || path.charAt(start) == '~')) {
				out.append('~');
			}
			out.append(path, start, end);
			if (slash < 0) {
				break;
			}
			out.append('/');
			start = slash + 1;
		}
		return out.toString();
	}

	/** Percent-encodes every byte of each segment but the RFC 3986 unreserved characters. */
	static String encode(String path) {
		byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
		StringBuilder out = new StringBuilder(bytes.length + 16);
		for (byte b : bytes) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~' || c == '/') {
				out.append((char) c);
			}
			else {
				out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return out.toString();
	}

	/** Decodes percent-escapes as UTF-8 (a {@code +} stays a {@code +}). */
	static String decode(String text) {
		if (text.indexOf('%') < 0) {
			return text;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
					&& Character.digit(text.charAt(i + 2), 16) >= 0) {
				out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
				i += 2;
			}
			else {
				byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				out.write(bytes, 0, bytes.length);
			}
		}
		return out.toString(StandardCharsets.UTF_8);
	}

}
