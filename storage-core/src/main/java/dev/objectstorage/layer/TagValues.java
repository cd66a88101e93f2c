package dev.objectstorage.layer;

/**
 * Tag values in Micrometer's style, for meters and observations alike (without needing
 * micrometer-core): lower case, words joined by hyphens ({@code deleteAll} and {@code DELETE_ALL}
 * both become {@code delete-all}).
 */
final class TagValues {

	private TagValues() {
	}

	static String of(String value) {
		StringBuilder sb = new StringBuilder(value.length() + 4);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '_' || c == '.' || c == ' ') {
				sb.append('-');
			}
			else if (Character.isUpperCase(c)) {
				if (i > 0 && Character.isLowerCase(value.charAt(i - 1))) {
					sb.append('-');
				}
				sb.append(Character.toLowerCase(c));
			}
			else {
				sb.append(c);
			}
		}
		return sb.toString();
	}

}
