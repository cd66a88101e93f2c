package dev.objectstorage;

import java.nio.file.Path;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the path normaliser with jqwik: whatever the input, it either returns a path that stays
 * under any root, or fails with {@code INVALID_INPUT}; it never throws anything else.
 */
class ObjectPathsProperties {

	private static final Path ROOT = Path.of("/srv/storage/root");

	/** Strings made of the characters that matter for paths, and some that do not. */
	@Provide
	Arbitrary<String> hostilePaths() {
		Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.of("/", ".", "..", "\\", "%2e", "%2f", "%00", "\u0000",
				"\n", "\u007f", "~", " ", "a", "b", "é", "日本", "\uD83D\uDE00", "\uD800", "\uDC00", "con", "..."),
				Arbitraries.strings().ofMinLength(1).ofMaxLength(3));
		return pieces.list().ofMaxSize(40).map((parts) -> String.join("", parts));
	}

	@Property(tries = 5000)
	void objectPathsNeverEscapeOrThrowOtherwise(@ForAll("hostilePaths") String input) {
		String path;
		try {
			path = ObjectPaths.object(input);
		}
		catch (StorageException ex) {
			assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
			return;
		}
		assertThat(path).isNotEmpty().doesNotStartWith("/").doesNotEndWith("/").doesNotContain("\\").doesNotContain("//");
		for (String segment : path.split("/")) {
			assertThat(segment).isNotEqualTo(".").isNotEqualTo("..");
		}
		assertThat(path.chars()).noneMatch((c) -> c < 0x20 || c == 0x7f);
		assertThat(ROOT.resolve(path).normalize().startsWith(ROOT)).isTrue();
		assertThat(ObjectPaths.object(path)).as("normalising is idempotent").isEqualTo(path);
	}

	@Property(tries = 5000)
	void prefixesNeverEscapeOrThrowOtherwise(@ForAll("hostilePaths") String input) {
		String prefix;
		try {
			prefix = ObjectPaths.prefix(input);
		}
		catch (StorageException ex) {
			assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
			return;
		}
		assertThat(prefix).doesNotStartWith("/").doesNotContain("\\");
		assertThat(ROOT.resolve(prefix).normalize().startsWith(ROOT)).isTrue();
	}

	@Property(tries = 2000)
	void anyStringAtAllIsHandled(@ForAll String input) {
		try {
			String path = ObjectPaths.object(input);
			assertThat(ROOT.resolve(path).normalize().startsWith(ROOT)).isTrue();
		}
		catch (StorageException ex) {
			assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
		}
	}

}
