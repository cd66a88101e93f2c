package dev.objectstorage.spi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.spi.ContentChunks.Chunk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link ContentChunks}: chunks of the right sizes holding every byte in order, arrays that never
 * hold much more than the chunk, and the decision between one request and parts without reading a
 * chunk ahead.
 */
class ContentChunksTests {

	private static final int CHUNK = 1024 * 1024;

	private static Flux<DataBuffer> content(byte[] data, int buffer) {
		return Flux.range(0, (data.length + buffer - 1) / buffer).map((i) -> {
			int n = Math.min(buffer, data.length - i * buffer);
			return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(data, i * buffer, i * buffer + n));
		});
	}

	private static byte[] bytes(List<Chunk> chunks) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Chunk chunk : chunks) {
			for (ByteBuffer buffer : chunk.byteBuffers()) {
				byte[] bytes = new byte[buffer.remaining()];
				buffer.get(bytes);
				out.writeBytes(bytes);
			}
		}
		return out.toByteArray();
	}

	/** The bytes of the arrays a chunk holds, whether used or not. */
	private static long allocated(Chunk chunk) {
		return chunk.byteBuffers().stream().mapToLong((buffer) -> buffer.array().length).sum();
	}

	@ParameterizedTest(name = "{0} bytes in buffers of {1}, length known: {2}")
	@CsvSource({ "0, 100, false", "0, 100, true", "1, 100, false", "65536, 65536, false", "4194304, 65536, false",
			"4194304, 65536, true", "3000000, 77777, false", "1048576, 1, false", "1048577, 1000, false",
			"2097152, 4194304, false", "2621440, 65536, false", "2621441, 65536, true" })
	void chunksHoldEveryByteInOrderInChunksOfTheirSize(int size, int buffer, boolean lengthKnown) {
		byte[] data = new byte[size];
		new Random(size).nextBytes(data);
		List<Chunk> chunks = ContentChunks.cut(content(data, buffer), CHUNK, CHUNK, lengthKnown ? size : -1)
			.collectList()
			.block();
		assertThat(bytes(chunks)).isEqualTo(data);
		int count = Math.max(1, (size + CHUNK - 1) / CHUNK);
		assertThat(chunks).hasSize(count);
		for (int i = 0; i < count; i++) {
			Chunk chunk = chunks.get(i);
			assertThat(chunk.index()).isEqualTo(i);
			assertThat(chunk.last()).isEqualTo(i == count - 1);
			assertThat(chunk.size()).isEqualTo((i < count - 1) ? CHUNK : size - (count - 1) * CHUNK);
			assertThat(allocated(chunk)).as("the arrays of chunk %d", i).isLessThanOrEqualTo(CHUNK);
		}
		// no chunk after the first holds more than one array: the content is known to be long
		assertThat(chunks.subList(1, count)).allSatisfy((chunk) -> assertThat(chunk.byteBuffers()).hasSize(1));
		if (lengthKnown) {
			assertThat(chunks.get(0).byteBuffers()).hasSize(1);
		}
	}

	@Test
	void aGrowingFirstChunkHoldsFewArraysAndLittleMoreThanItsBytes() {
		int size = 8 * 1024 * 1024;
		byte[] data = new byte[size + 1];
		List<Chunk> chunks = ContentChunks.cut(content(data, 64 * 1024), size, size, -1).collectList().block();
		Chunk first = chunks.get(0);
		// a source buffer (64 KiB), then as much as the chunk holds so far: 64 KiB, 128 KiB ... 1 MiB (2 MiB
		// in all), then arrays of 1 MiB: no byte copied twice, none wasted here
		assertThat(first.byteBuffers()).hasSize(6 + 6);
		assertThat(allocated(first)).isEqualTo(size);
		// a content that ends within the first array of its size holds no more than that
		Chunk small = ContentChunks.cut(content(new byte[5000], 1000), size, size, -1).blockLast();
		assertThat(allocated(small)).isEqualTo(16 * 1024);
		Chunk oneBuffer = ContentChunks.cut(content(new byte[3 * 1024 * 1024], 3 * 1024 * 1024), size, size, -1)
			.blockLast();
		assertThat(oneBuffer.wholeArray()).as("one source buffer, one array").isNotNull().hasSize(3 * 1024 * 1024);
	}

	@ParameterizedTest(name = "{0} chunks of 10 bytes, limit {1}")
	@CsvSource({ "1, 30", "2, 30", "3, 30", "4, 30", "3, 25", "10, 30", "1, 5" })
	void aContentWithinTheLimitIsWholeAndALongerOneGoesInPartsWithEveryChunk(int count, long limit) {
		List<Chunk> source = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			source.add(new Chunk(i, new byte[10], 10, i == count - 1));
		}
		String result = ContentChunks.wholeOrParts(Flux.fromIterable(source), limit,
				(held) -> Mono.just("whole " + held.size()),
				(all) -> all.map(Chunk::index).collectList().map((indexes) -> "parts " + indexes)).block();
		if (count * 10L <= limit) {
			assertThat(result).isEqualTo("whole " + count);
		}
		else {
			assertThat(result).isEqualTo("parts " + source.stream().map(Chunk::index).toList());
		}
	}

	@ParameterizedTest(name = "{0} parts in flight")
	@CsvSource({ "1", "2", "3", "4", "6" })
	void partsAreReadAsTheUploadAsksForThemAndNoneAhead(int inFlight) {
		AtomicInteger read = new AtomicInteger();
		Flux<Chunk> chunks = Flux.range(0, 20).map((i) -> new Chunk(i, new byte[10], 10, i == 19))
			.doOnNext((chunk) -> read.incrementAndGet());
		// parts that never finish uploading: the upload asks for inFlight of them and waits
		ContentChunks.wholeOrParts(chunks, 30, (held) -> Mono.just("whole"),
				(all) -> all.flatMapSequential((part) -> Mono.never(), inFlight, 1).then(Mono.just("parts")))
			.subscribe();
		assertThat(read.get()).isEqualTo(Math.max(3, inFlight));
	}

	@Test
	void aContentThatFailsBeforeTheDecisionFailsWithoutARequest() {
		AtomicBoolean called = new AtomicBoolean();
		Flux<Chunk> chunks = Flux.concat(Flux.just(new Chunk(0, new byte[10], 10, false)),
				Flux.error(new IllegalStateException("broke")));
		Throwable failed = catchThrowable(() -> ContentChunks.wholeOrParts(chunks, 30, (held) -> {
			called.set(true);
			return Mono.just("whole");
		}, (all) -> {
			called.set(true);
			return all.then(Mono.just("parts"));
		}).block());
		assertThat(failed).hasMessage("broke");
		assertThat(called).isFalse();
		// after the decision the upload sees the failure
		AtomicReference<Throwable> seen = new AtomicReference<>();
		Flux<Chunk> late = Flux.concat(Flux.range(0, 4).map((i) -> new Chunk(i, new byte[10], 10, false)),
				Flux.error(new IllegalStateException("broke later")));
		assertThat(catchThrowable(() -> ContentChunks.wholeOrParts(late, 30, (held) -> Mono.just("whole"),
				(all) -> all.doOnError(seen::set).then(Mono.just("parts"))).block())).hasMessage("broke later");
		assertThat(seen.get()).hasMessage("broke later");
	}

}
