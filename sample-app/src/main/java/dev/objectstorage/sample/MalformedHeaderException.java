package dev.objectstorage.sample;

/**
 * A request header the app cannot parse: the client's error, answered with 400 and a JSON problem
 * (logged at DEBUG, never as a server error).
 */
class MalformedHeaderException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String header;

	MalformedHeaderException(String header, String value) {
		super("The " + header + " header is malformed: " + printable(value), null, false, false);
		this.header = header;
	}

	String header() {
		return this.header;
	}

	/** The value as it can be shown: control characters escaped, cut at 100 characters. */
	static String printable(String value) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < value.length() && sb.length() < 100; i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				sb.append(String.format("\\x%02x", (int) c));
			}
			else {
				sb.append(c);
			}
		}
		return sb.toString();
	}

}
