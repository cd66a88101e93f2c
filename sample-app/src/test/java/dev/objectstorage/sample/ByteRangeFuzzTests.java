package dev.objectstorage.sample;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the Range parser: generated headers (units, numbers up to and past {@code Long.MAX_VALUE},
 * several ranges, junk) against file sizes from 0 up: it never throws, and every range it accepts
 * lies inside the file. Seeded, so a failure reproduces.
 */
class ByteRangeFuzzTests {

	private static final String[] UNITS = { "bytes=", "Bytes=", "bytes =", "items=", "", "bytes", " bytes=" };

	private static final String[] NUMBERS = { "", "0", "1", "9223372036854775807", "9223372036854775808",
			"99999999999999999999999", "-1", "0x10", " 5", "1e3", "007" };

	private static String number(Random random) {
		return random.nextBoolean() ? String.valueOf(random.nextInt(6000)) : NUMBERS[random.nextInt(NUMBERS.length)];
	}

	@Test
	void noHeaderMakesItThrowAndAcceptedRangesLieInsideTheFile() {
		Random random = new Random(1234);
		for (int i = 0; i < 100_000; i++) {
			StringBuilder header = new StringBuilder(UNITS[random.nextInt(UNITS.length)]);
			int specs = 1 + random.nextInt(3);
			for (int s = 0; s < specs; s++) {
				if (s > 0) {
					header.append(',');
				}
				header.append(number(random)).append(random.nextInt(5) == 0 ? "--" : "-").append(number(random));
			}
			if (random.nextInt(10) == 0) {
				header.appendCodePoint(random.nextInt(0xD800));
			}
			long size = (random.nextInt(20) == 0) ? Long.MAX_VALUE - random.nextInt(10) : random.nextInt(5000);
			ByteRange range;
			try {
				range = ByteRange.parse(header.toString(), size);
			}
			catch (RuntimeException ex) {
				throw new AssertionError("'" + header + "' with size " + size + " threw " + ex, ex);
			}
			if (range != null && !range.unsatisfiable()) {
				assertThat(range.start()).as("'%s' size %d", header, size).isNotNegative();
				assertThat(range.length()).as("'%s' size %d", header, size).isPositive();
				assertThat(range.end()).as("'%s' size %d", header, size).isLessThan(size);
			}
		}
	}

}
