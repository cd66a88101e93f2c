package dev.objectstorage.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTests {

	@Test
	void singleRanges() {
		assertThat(ByteRange.parse("bytes=0-0", 1000)).isEqualTo(new ByteRange(0, 1));
		assertThat(ByteRange.parse("bytes=500-", 1000)).isEqualTo(new ByteRange(500, 500));
		assertThat(ByteRange.parse("bytes=-500", 1000)).isEqualTo(new ByteRange(500, 500));
		assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 1000));
		assertThat(ByteRange.parse("bytes=10-19", 1000)).isEqualTo(new ByteRange(10, 10));
		assertThat(ByteRange.parse("bytes=990-2000", 1000)).isEqualTo(new ByteRange(990, 10));
		assertThat(ByteRange.parse(" Bytes = 1-2 ".replace(" = ", "="), 10)).isEqualTo(new ByteRange(1, 2));
	}

	@Test
	void unsatisfiableRanges() {
		assertThat(ByteRange.parse("bytes=1000-", 1000).unsatisfiable()).isTrue();
		assertThat(ByteRange.parse("bytes=5000-6000", 1000).unsatisfiable()).isTrue();
		assertThat(ByteRange.parse("bytes=-0", 1000).unsatisfiable()).isTrue();
		assertThat(ByteRange.parse("bytes=0-", 0).unsatisfiable()).isTrue();
		assertThat(ByteRange.parse("bytes=9999999999999999999-", 1000).unsatisfiable()).isTrue();
	}

	@Test
	void ignoredHeadersServeTheWholeFile() {
		assertThat(ByteRange.parse(null, 10)).isNull();
		assertThat(ByteRange.parse("items=0-1", 10)).isNull();
		assertThat(ByteRange.parse("bytes=0-1,3-4", 10)).isNull();
		assertThat(ByteRange.parse("bytes=abc", 10)).isNull();
		assertThat(ByteRange.parse("bytes=-", 10)).isNull();
		assertThat(ByteRange.parse("bytes=5-1", 10)).isNull();
		assertThat(ByteRange.parse("bytes=" + "9".repeat(30) + "-", 10)).isNull();
	}

	@Test
	void hugeEndsSaturate() {
		assertThat(ByteRange.parse("bytes=0-99999999999999999999", 10)).isNull(); // 20 digits: not a number here
		assertThat(ByteRange.parse("bytes=0-9999999999999999999", 10)).isEqualTo(new ByteRange(0, 10));
	}

}
