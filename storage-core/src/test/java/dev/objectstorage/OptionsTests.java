package dev.objectstorage;

import dev.objectstorage.spi.Etags;
import java.util.Map;

import dev.objectstorage.spi.PathOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OptionsTests {

	@Test
	void readOptionsDefaultsAndRanges() {
		assertThat(ReadOptions.defaults().hasRange()).isFalse();
		ReadOptions range = ReadOptions.range(10, 100).withIfMatch("\"e\"").withBufferSize(4096);
		assertThat(range.offset()).isEqualTo(10);
		assertThat(range.length()).isEqualTo(100);
		assertThat(range.hasRange()).isTrue();
		assertThat(range.ifMatch()).isEqualTo("\"e\"");
		assertThat(range.bufferSizeOr(1)).isEqualTo(4096);
		assertThat(ReadOptions.defaults().bufferSizeOr(77)).isEqualTo(77);
		assertThat(ReadOptions.range(Long.MAX_VALUE - 10, 10).length()).isEqualTo(10);
	}

	@Test
	void readOptionsRejectOverflow() {
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ReadOptions.range(Long.MAX_VALUE - 9, 10))
			.withMessageContaining("Long.MAX_VALUE");
	}

	@Test
	void writeOptionsNormaliseMetadataKeys() {
		WriteOptions options = WriteOptions.defaults().withUserMetadata(Map.of("Owner-Name", "ann"));
		assertThat(options.userMetadata()).containsExactly(Map.entry("owner-name", "ann"));
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> WriteOptions.defaults().withUserMetadata(Map.of("A", "1", "a", "2")))
			.withMessageContaining("twice");
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> WriteOptions.defaults().withUserMetadata(Map.of("k", "ü")))
			.withMessageContaining("US-ASCII");
	}

	@Test
	void listOptionsLimit() {
		assertThat(ListOptions.defaults().limit()).isEqualTo(Long.MAX_VALUE);
		assertThat(ListOptions.defaults().withLimit(0).limit()).isZero();
	}

	@Test
	void pathOrderIsCodePointOrder() {
		assertThat(PathOrder.compare("a-b", "a/b")).isNegative();
		assertThat(PathOrder.compare("a/b", "a0")).isNegative();
		// String.compareTo puts U+FFFD after a surrogate pair; code point (UTF-8 byte) order does not
		assertThat("\uFFFD".compareTo("\uD83D\uDE00")).isPositive();
		assertThat(PathOrder.compare("\uFFFD", "\uD83D\uDE00")).isNegative();
		assertThat(PathOrder.compare("ab", "abc")).isNegative();
		assertThat(PathOrder.compare("abc", "abc")).isZero();
	}

	@Test
	void etagMatching() {
		assertThat(Etags.matches("\"abc\"", "\"abc\"")).isTrue();
		assertThat(Etags.matches("abc", "\"abc\"")).isTrue();
		assertThat(Etags.matches("W/\"abc\"", "\"abc\"")).isTrue();
		assertThat(Etags.matches("*", "\"abc\"")).isTrue();
		assertThat(Etags.matches("\"abd\"", "\"abc\"")).isFalse();
		assertThat(Etags.quote("x")).isEqualTo("\"x\"");
		assertThat(Etags.quote("\"x\"")).isEqualTo("\"x\"");
	}

	@Test
	void storageExceptionWithContextKeepsKindAndCause() {
		IllegalStateException cause = new IllegalStateException("boom");
		StorageException ex = new StorageException(ErrorKind.TIMEOUT, "slow", cause);
		StorageException withContext = ex.withContext(Operation.READ, "a/b", "photos");
		assertThat(withContext.kind()).isEqualTo(ErrorKind.TIMEOUT);
		assertThat(withContext.isTemporary()).isTrue();
		assertThat(withContext.getCause()).isSameAs(cause);
		assertThat(withContext.operation()).isEqualTo(Operation.READ);
		assertThat(withContext.path()).isEqualTo("a/b");
		assertThat(withContext.storageName()).isEqualTo("photos");
		assertThat(withContext.toString()).contains("TIMEOUT", "photos", "read", "a/b");
		assertThat(withContext.withContext(Operation.WRITE, "c", "other")).isSameAs(withContext);
	}

}
