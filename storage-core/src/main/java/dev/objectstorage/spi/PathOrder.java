package dev.objectstorage.spi;

import java.util.Comparator;

/**
 * The order in which every backend lists entries: by Unicode code point, which is the byte order of
 * the paths' UTF-8 encoding (the order S3 uses). {@link String#compareTo} differs from it for
 * characters outside the Basic Multilingual Plane.
 */
public final class PathOrder {

	/** Compares paths by code point. */
	public static final Comparator<String> COMPARATOR = PathOrder::compare;

	private PathOrder() {
	}

	/**
	 * Compares two paths by code point.
	 * @param a the first path
	 * @param b the second path
	 * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
	 */
	public static int compare(String a, String b) {
		int n = Math.min(a.length(), b.length());
		for (int i = 0; i < n; i++) {
			char ca = a.charAt(i);
			char cb = b.charAt(i);
			if (ca != cb) {
				// Surrogates (U+D800..U+DFFF) stand for code points above U+FFFF, so they sort after
				// every other char, including U+E000..U+FFFF that String.compareTo puts above them.
				boolean sa = Character.isSurrogate(ca);
				boolean sb = Character.isSurrogate(cb);
				if (sa != sb) {
					return sa ? 1 : -1;
				}
				return ca - cb;
			}
		}
		return a.length() - b.length();
	}

}
