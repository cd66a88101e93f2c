package dev.objectstorage.spi;

import dev.objectstorage.StorageException;
import dev.objectstorage.ErrorKind;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the path normaliser: tens of thousands of generated inputs, built from the characters and
 * sequences that matter for paths ({@code /}, {@code .}, {@code ..}, backslashes, encoded forms,
 * control characters, unpaired surrogates, long runs) mixed with arbitrary code points. Whatever
 * the input, the normaliser either returns a path that stays under any root, or fails with
 * {@code INVALID_INPUT}; it never throws anything else. Seeded, so a failure reproduces; the
 * failing input is in the message.
 */
class ObjectPathsFuzzTests {

	private static final Path ROOT = Path.of("/srv/storage/root");

	private static final String[] PIECES = { "/", "//", ".", "..", "...", "\\", "%2e", "%2f", "%00", "\u0000", "\n", "\r",
			"\t", "\u007f", "~", " ", "a", "b", "é", "日本", "\uD83D\uDE00", "\uD800", "\uDC00", "con", ":", "*", "?", "#" };

	static String generate(Random random) {
		StringBuilder sb = new StringBuilder();
		int parts = random.nextInt(40);
		for (int i = 0; i < parts; i++) {
			switch (random.nextInt(4)) {
				case 0 -> sb.appendCodePoint(random.nextInt(0x110000) & ~0xF800_0000); // any code point (maybe a lone surrogate)
				case 1 -> sb.append("x".repeat(random.nextInt(300))); // long segments
				default -> sb.append(PIECES[random.nextInt(PIECES.length)]);
			}
		}
		return sb.toString();
	}

	@Test
	void objectPathsNeverEscapeTheRootNorThrowAnythingElse() {
		Random random = new Random(20261126);
		for (int i = 0; i < 50_000; i++) {
			String input = generate(random);
			String path;
			try {
				path = ObjectPaths.object(input);
			}
			catch (StorageException ex) {
				assertThat(ex.kind()).as("kind for input %s", escape(input)).isEqualTo(ErrorKind.INVALID_INPUT);
				continue;
			}
			catch (RuntimeException ex) {
				throw new AssertionError("unexpected " + ex + " for input " + escape(input), ex);
			}
			assertThat(path).as("input %s", escape(input)).isNotEmpty().doesNotStartWith("/").doesNotEndWith("/")
				.doesNotContain("\\").doesNotContain("//");
			for (String segment : path.split("/")) {
				assertThat(segment).as("input %s", escape(input)).isNotEqualTo(".").isNotEqualTo("..");
			}
			assertThat(path.chars().noneMatch((c) -> c < 0x20 || c == 0x7f)).as("input %s", escape(input)).isTrue();
			assertThat(ROOT.resolve(path).normalize().startsWith(ROOT)).as("input %s", escape(input)).isTrue();
			assertThat(ObjectPaths.object(path)).as("idempotent for %s", escape(input)).isEqualTo(path);
		}
	}

	@Test
	void prefixesNeverEscapeTheRootNorThrowAnythingElse() {
		Random random = new Random(4711);
		for (int i = 0; i < 50_000; i++) {
			String input = generate(random);
			try {
				String prefix = ObjectPaths.prefix(input);
				assertThat(prefix).doesNotStartWith("/").doesNotContain("\\");
				assertThat(ROOT.resolve(prefix).normalize().startsWith(ROOT)).as("input %s", escape(input)).isTrue();
			}
			catch (StorageException ex) {
				assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
			}
		}
	}

	private static String escape(String input) {
		StringBuilder sb = new StringBuilder("\"");
		input.chars().forEach((c) -> sb.append((c < 0x20 || c > 0x7e) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
		return sb.append('"').toString();
	}

}
