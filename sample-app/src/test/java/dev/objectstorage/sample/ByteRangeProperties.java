package dev.objectstorage.sample;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the Range parser with jqwik: no header makes it throw, and every range it accepts lies
 * inside the file.
 */
class ByteRangeProperties {

	@Provide
	Arbitrary<String> headers() {
		Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(0, 5000).map(String::valueOf),
				Arbitraries.of("", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "-1",
						"0x10", " 5", "1e3"));
		Arbitrary<String> spec = net.jqwik.api.Combinators.combine(number, Arbitraries.of("-", "--", "", "=", " - "), number)
			.as((a, dash, b) -> a + dash + b);
		return net.jqwik.api.Combinators
			.combine(Arbitraries.of("bytes=", "Bytes=", "bytes =", "items=", "", "bytes"), spec.list().ofMinSize(1).ofMaxSize(3))
			.as((unit, specs) -> unit + String.join(",", specs));
	}

	@Property(tries = 5000)
	void acceptedRangesLieInsideTheFile(@ForAll("headers") String header, @ForAll @LongRange(max = 4000) long size) {
		ByteRange range = ByteRange.parse(header, size);
		if (range == null || range.unsatisfiable()) {
			return;
		}
		assertThat(range.start()).isNotNegative();
		assertThat(range.length()).isPositive();
		assertThat(range.end()).isLessThan(size);
	}

	@Property(tries = 2000)
	void anyHeaderAtAllIsHandled(@ForAll String header, @ForAll @LongRange(max = Long.MAX_VALUE) long size) {
		ByteRange range = ByteRange.parse(header, size);
		if (range != null && !range.unsatisfiable()) {
			assertThat(range.end()).isLessThan(size);
		}
	}

}
