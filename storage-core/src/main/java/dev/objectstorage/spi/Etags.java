package dev.objectstorage.spi;

import org.jspecify.annotations.Nullable;

/**
 * Entity tag helpers shared by backends that evaluate conditions themselves.
 */
public final class Etags {

	private Etags() {
	}

	/**
	 * Quotes an entity tag value, unless it is quoted already.
	 * @param value the tag, quoted or not
	 * @return the quoted tag, for example {@code "abc"}
	 */
	public static String quote(String value) {
		if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
			return value;
		}
		return '"' + value + '"';
	}

	/**
	 * Whether a condition (as given to {@code ifMatch} or {@code ifNoneMatch}) names the given entity
	 * tag. Quotes and a weak prefix {@code W/} are ignored; {@code *} matches any tag.
	 * @param condition the tag from the condition
	 * @param etag the object's tag
	 * @return {@code true} if they name the same tag
	 */
	public static boolean matches(@Nullable String condition, @Nullable String etag) {
		if (condition == null || etag == null) {
			return false;
		}
		String c = condition.trim();
		if (c.equals("*")) {
			return true;
		}
		return bare(c).equals(bare(etag));
	}

	private static String bare(String tag) {
		String t = tag.trim();
		if (t.startsWith("W/")) {
			t = t.substring(2);
		}
		if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
			t = t.substring(1, t.length() - 1);
		}
		return t;
	}

}
