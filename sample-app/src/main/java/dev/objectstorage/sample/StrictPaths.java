package dev.objectstorage.sample;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.objectstorage.StorageException;

/**
 * Decodes the percent-encoded path of a request strictly: a malformed escape or bytes that are not
 * UTF-8 are the client's error (400), where a lenient decoder would put U+FFFD in their place, so
 * that different URLs ({@code %FF%FE.txt}, {@code %FE%FF.txt}) would name the same file. Spring's
 * {@code UriUtils.decode} is lenient, so these few lines are written here.
 */
final class StrictPaths {

	private StrictPaths() {
	}

	static String decode(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
						|| Character.digit(raw.charAt(i + 2), 16) < 0) {
					throw StorageException.invalidInput("The path has a malformed percent escape at index " + i);
				}
				bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
				i += 2;
			}
			else {
				byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw StorageException.invalidInput("The path is not valid UTF-8 once decoded");
		}
	}

}
