package dev.objectstorage.sample;

/**
 * Turns the file name a browser sends with a multipart upload into a safe object name: the last
 * segment only (browsers on some systems send whole paths), no control characters, no
 * {@code .}/{@code ..}, not empty.
 */
final class FileNames {

	private FileNames() {
	}

	static String sanitise(String filename) {
		String name = (filename != null) ? filename : "";
		int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
		name = name.substring(cut + 1);
		StringBuilder safe = new StringBuilder(name.length());
		name.codePoints().filter((c) -> c >= 0x20 && c != 0x7f).forEach(safe::appendCodePoint);
		String result = safe.toString().strip();
		if (result.isEmpty() || result.equals(".") || result.equals("..")) {
			return "upload";
		}
		return result;
	}

}
