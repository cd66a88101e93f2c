package dev.objectstorage.layer;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicInteger;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.layer.RetryLayer.RetrySettings;
import dev.objectstorage.layer.TimeoutLayer.TimeoutSettings;
import dev.objectstorage.memory.MemoryBackend;
import dev.objectstorage.spi.HandedOver;
import dev.objectstorage.spi.StorageBackend;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The layers against the memory backend, with a fault-injecting layer underneath.
 */
class LayerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final RetrySettings FAST_RETRY = new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 0);

	private final MemoryBackend memory = new MemoryBackend();

	/** Fails the first {@code failures} calls of stat, list and read with the given error. */
	static final class Faults implements Layer {

		final AtomicInteger failures;

		final AtomicInteger calls = new AtomicInteger();

		final ErrorKind kind;

		final boolean temporary;

		/** For reads: fail after this many bytes instead of before the first. */
		final int failAfterBytes;

		Faults(int failures, ErrorKind kind, boolean temporary, int failAfterBytes) {
			this.failures = new AtomicInteger(failures);
			this.kind = kind;
			this.temporary = temporary;
			this.failAfterBytes = failAfterBytes;
		}

		StorageException error() {
			return new StorageException(this.kind, "injected", null, null, null, this.temporary, null);
		}

		@Override
		public StorageBackend apply(StorageBackend backend) {
			return new ForwardingBackend(backend) {
				@Override
				public Mono<ObjectMetadata> stat(String path) {
					return Mono.defer(() -> {
						Faults.this.calls.incrementAndGet();
						return (Faults.this.failures.getAndDecrement() > 0) ? Mono.error(error()) : super.stat(path);
					});
				}

				@Override
				public Flux<ObjectEntry> list(String prefix, ListOptions options) {
					return Flux.defer(() -> {
						Faults.this.calls.incrementAndGet();
						if (Faults.this.failures.getAndDecrement() > 0) {
							return super.list(prefix, options).take(2).concatWith(Flux.error(error()));
						}
						return super.list(prefix, options);
					});
				}

				@Override
				public Mono<ObjectContent> open(String path, ReadOptions options) {
					return Mono.defer(() -> {
						Faults.this.calls.incrementAndGet();
						if (Faults.this.failures.getAndDecrement() > 0) {
							if (Faults.this.failAfterBytes == 0) {
								return Mono.error(error());
							}
							return withBody(super.open(path, options.withBufferSize(Faults.this.failAfterBytes)),
									(body) -> DataBufferUtils.takeUntilByteCount(body, Faults.this.failAfterBytes)
										.concatWith(Flux.error(error())));
						}
						return super.open(path, options);
					});
				}
			};
		}

	}

	/** The content with its body shaped by the function. */
	static Mono<ObjectContent> withBody(Mono<ObjectContent> open, Function<Flux<DataBuffer>, Flux<DataBuffer>> shape) {
		return open.map((content) -> new ForwardingContent(content) {
			@Override
			protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
				return shape.apply(body);
			}
		});
	}

	private ObjectStorage storage(Layer... layers) {
		return ObjectStorage.builder().backend(this.memory).layers(List.of(layers)).build();
	}

	/**
	 * An output stream's full buffers are copies that nothing touches again: they reach the backend
	 * through every layer still handed over, so the memory backend keeps them instead of copying again.
	 */
	@Test
	void anOutputStreamsCopiesReachTheBackendHandedOverThroughTheLayers() throws Exception {
		List<Boolean> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
		Layer recording = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
				return super.write(path, content.doOnNext((b) -> handed.add(HandedOver.array(b) != null)),
						options);
			}
		};
		ObjectStorage storage = storage(new MetricsLayer(), new RetryLayer(FAST_RETRY),
				new TimeoutLayer(new TimeoutSettings(TIMEOUT, TIMEOUT)), new ConcurrencyLimitLayer(2), recording);
		byte[] data = new byte[3 * 65536 + 100];
		new java.util.Random(5).nextBytes(data);
		try (var out = storage.openOutputStream("streamed")) {
			out.write(data, 0, 100); // a partly filled buffer first: copied by the backend
			out.write(data, 100, data.length - 100);
		}
		assertThat(handed).containsExactly(false, true, true, false);
		assertThat(storage.readAllBytes("streamed").block(TIMEOUT)).isEqualTo(data);
		byte[] reused = data.clone(); // a caller's own array is never kept: writing to it later changes nothing
		storage.write("plain", reused).block(TIMEOUT);
		java.util.Arrays.fill(reused, (byte) 0);
		assertThat(storage.readAllBytes("plain").block(TIMEOUT)).isEqualTo(data);
	}

	@Test
	void retryRepeatsTemporaryFailures() {
		Faults faults = new Faults(2, ErrorKind.RATE_LIMITED, true, 0);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		storage.write("a", "x".getBytes()).block(TIMEOUT);
		assertThat(storage.stat("a").block(TIMEOUT).size()).isEqualTo(1);
		assertThat(faults.calls.get()).isEqualTo(3);
	}

	@Test
	void retryGivesUpAfterMaxAttempts() {
		Faults faults = new Faults(5, ErrorKind.UNEXPECTED, true, 0);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		StorageException ex = catchThrowableOfType(StorageException.class, () -> storage.stat("a").block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.UNEXPECTED);
		assertThat(faults.calls.get()).isEqualTo(3);
	}

	@Test
	void retryWaitsItsExponentialBackoffOnVirtualTime() {
		storage().write("a", "x".getBytes()).block(TIMEOUT);
		Faults faults = new Faults(2, ErrorKind.RATE_LIMITED, true, 0);
		// 1 s, then 2 s, no jitter: on virtual time the test checks the schedule without waiting for it
		ObjectStorage storage = storage(new RetryLayer(new RetrySettings(3, Duration.ofSeconds(1), Duration.ofSeconds(10), 0)),
				faults);
		StepVerifier.withVirtualTime(() -> storage.stat("a"))
			.expectSubscription()
			.then(() -> assertThat(faults.calls.get()).as("first attempt").isEqualTo(1))
			.expectNoEvent(Duration.ofMillis(999))
			.then(() -> assertThat(faults.calls.get()).as("no retry before the first back-off").isEqualTo(1))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(faults.calls.get()).as("second attempt after 1 s").isEqualTo(2))
			.expectNoEvent(Duration.ofMillis(1999))
			.then(() -> assertThat(faults.calls.get()).as("no retry before the doubled back-off").isEqualTo(2))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((meta) -> assertThat(meta.size()).isEqualTo(1))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(faults.calls.get()).isEqualTo(3);
	}

	@Test
	void retryNeverRepeatsPermanentFailures() {
		Faults faults = new Faults(5, ErrorKind.PERMISSION_DENIED, false, 0);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		StorageException ex = catchThrowableOfType(StorageException.class, () -> storage.stat("a").block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(faults.calls.get()).isEqualTo(1);
	}

	@Test
	void retriedListingResumesAfterTheLastEntry() {
		ObjectStorage setup = storage();
		for (String name : List.of("a", "b", "c", "d", "e")) {
			setup.write(name, name.getBytes()).block(TIMEOUT);
		}
		Faults faults = new Faults(1, ErrorKind.TIMEOUT, true, 0);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		assertThat(storage.list("").map(ObjectEntry::path).collectList().block(TIMEOUT))
			.containsExactly("a", "b", "c", "d", "e");
		assertThat(faults.calls.get()).isEqualTo(2);
	}

	@Test
	void readBrokenAfterBytesResumesWhenTheVersionIsPinned() {
		byte[] data = new byte[10_000];
		new java.util.Random(1).nextBytes(data);
		ObjectMetadata meta = storage().write("f", data).block(TIMEOUT);
		Faults faults = new Faults(2, ErrorKind.UNEXPECTED, true, 3000);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		byte[] read = DataBufferUtils.join(storage.read("f", ReadOptions.defaults().withIfMatch(meta.etag())))
			.map((b) -> {
				byte[] bytes = new byte[b.readableByteCount()];
				b.read(bytes);
				DataBufferUtils.release(b);
				return bytes;
			})
			.block(TIMEOUT);
		assertThat(read).isEqualTo(data);
		assertThat(faults.calls.get()).isEqualTo(3);
	}

	@Test
	void readBrokenAfterBytesResumesTheVersionItOpened() {
		byte[] data = new byte[10_000];
		new java.util.Random(2).nextBytes(data);
		storage().write("f", data).block(TIMEOUT);
		Faults faults = new Faults(1, ErrorKind.UNEXPECTED, true, 3000);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		assertThat(storage.readAllBytes("f").block(TIMEOUT)).isEqualTo(data);
		assertThat(faults.calls.get()).isEqualTo(2);
	}

	@Test
	void aResumedReadKeepsTheCallersBufferSizeAndIsPinnedToTheVersion() {
		byte[] data = new byte[10_000];
		new java.util.Random(3).nextBytes(data);
		ObjectMetadata meta = storage().write("f", data).block(TIMEOUT);
		List<ReadOptions> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
		Layer recording = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectContent> open(String path, ReadOptions options) {
				opened.add(options);
				return super.open(path, options);
			}
		};
		Faults faults = new Faults(1, ErrorKind.UNEXPECTED, true, 3000);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), recording, faults);
		byte[] read = DataBufferUtils.join(storage.read("f", ReadOptions.defaults()
			.withBufferSize(1000)
			.withIfNoneMatch("\"some-other-version\"")))
			.map((b) -> {
				byte[] bytes = new byte[b.readableByteCount()];
				b.read(bytes);
				DataBufferUtils.release(b);
				return bytes;
			})
			.block(TIMEOUT);
		assertThat(read).isEqualTo(data);
		assertThat(opened).hasSize(2);
		ReadOptions resumed = opened.get(1);
		assertThat(resumed.bufferSize()).isEqualTo(1000);
		assertThat(resumed.offset()).isEqualTo(3000);
		assertThat(resumed.length()).isEqualTo(7000);
		assertThat(resumed.ifMatch()).isEqualTo(meta.etag());
		assertThat(resumed.ifNoneMatch()).isNull();
	}

	@Test
	void readBrokenAfterBytesFailsRatherThanSpliceAnotherVersion() {
		storage().write("f", new byte[10_000]).block(TIMEOUT);
		Faults faults = new Faults(1, ErrorKind.UNEXPECTED, true, 3000);
		ObjectStorage storage = storage(new RetryLayer(FAST_RETRY), faults);
		ObjectContent content = storage.open("f").block(TIMEOUT);
		storage().write("f", new byte[20_000]).block(TIMEOUT); // overwritten while it streams
		StorageException ex = catchThrowableOfType(StorageException.class,
				() -> DataBufferUtils.join(content.body()).map(DataBufferUtils::release).block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
		assertThat(faults.calls.get()).isEqualTo(2);
	}

	@Test
	void timeoutFailsAStalledOperationWithATemporaryTimeout() {
		Layer stall = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectMetadata> stat(String path) {
				return Mono.never();
			}

			@Override
			public Mono<ObjectContent> open(String path, ReadOptions options) {
				return withBody(super.open(path, options.withBufferSize(10)),
						(body) -> body.take(1).concatWith(Flux.never()));
			}
		};
		ObjectStorage storage = storage(new TimeoutLayer(new TimeoutSettings(Duration.ofMillis(200), Duration.ofMillis(200))),
				stall);
		storage().write("a", new byte[100]).block(TIMEOUT); // not timed: only the stalls are
		StorageException ex = catchThrowableOfType(StorageException.class, () -> storage.stat("a").block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.TIMEOUT);
		assertThat(ex.isTemporary()).isTrue();
		StorageException idle = catchThrowableOfType(StorageException.class,
				() -> storage.readAllBytes("a").block(TIMEOUT));
		assertThat(idle.kind()).isEqualTo(ErrorKind.TIMEOUT);
		assertThat(idle.getMessage()).contains("stalled");
	}

	@Test
	void timeoutDoesNotCutAStreamThatKeepsMoving() {
		// The layer's deadlines follow the system clock (a virtual one cannot drive them), so the
		// bounds are wide instead: each gap (100 ms) is a twentieth of the idle timeout, which leaves
		// room for a machine ten times slower, and the whole stream (30 gaps, 3 s) outlasts both
		// timeouts, so a layer that timed the stream as a whole would cut it.
		Duration gap = Duration.ofMillis(100);
		Duration timeout = Duration.ofSeconds(2);
		Layer slow = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectContent> open(String path, ReadOptions options) {
				return withBody(super.open(path, options.withBufferSize(10)), (body) -> body.delayElements(gap));
			}
		};
		ObjectStorage storage = storage(new TimeoutLayer(new TimeoutSettings(timeout, timeout)), slow);
		storage().write("a", new byte[300]).block(TIMEOUT); // not timed: only the read is
		assertThat(storage.readAllBytes("a").block(TIMEOUT)).hasSize(300); // thirty buffers, 3 s in all
	}

	@Test
	void concurrencyLimitBoundsOperationsInFlight() {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger maxSeen = new AtomicInteger();
		Layer probe = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectMetadata> stat(String path) {
				return Mono.defer(() -> {
					maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
					// decrement before the result travels on (and the limit hands the permit to the next)
					return super.stat(path).delayElement(Duration.ofMillis(20))
						.doOnSuccess((meta) -> inFlight.decrementAndGet());
				});
			}
		};
		ObjectStorage storage = storage(new ConcurrencyLimitLayer(2), probe);
		storage.write("a", "x".getBytes()).block(TIMEOUT);
		// on virtual time: each stat holds its permit for 20 virtual ms, so the first two overlap
		// however slowly the machine subscribes them, and the limit alone keeps a third out
		StepVerifier.withVirtualTime(() -> Flux.range(0, 20).flatMap((i) -> storage.stat("a"), 20))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(20)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(maxSeen.get()).isEqualTo(2);
	}

	@Test
	void concurrencyLimitReleasesPermitsOfCancelledOperations() {
		ConcurrencyLimitLayer limit = new ConcurrencyLimitLayer(1);
		Layer hang = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectMetadata> stat(String path) {
				return path.equals("hang") ? Mono.never() : super.stat(path);
			}
		};
		ObjectStorage storage = storage(limit, hang);
		storage.write("a", "x".getBytes()).block(TIMEOUT);
		StepVerifier.create(storage.stat("hang")).thenAwait(Duration.ofMillis(50)).thenCancel().verify(TIMEOUT);
		// a waiter that gives up leaves no permit behind either
		StepVerifier.create(storage.stat("a")).expectNextCount(1).verifyComplete();
		assertThat(storage.stat("a").block(TIMEOUT).size()).isEqualTo(1);
	}

	@Test
	void metricsCountOperationsErrorsAndBytesExactly() {
		MetricsLayer metrics = new MetricsLayer();
		ObjectStorage storage = storage(metrics);
		storage.write("a", new byte[1000]).block(TIMEOUT);
		storage.write("b", new byte[234]).block(TIMEOUT);
		storage.readAllBytes("a").block(TIMEOUT);
		catchThrowableOfType(StorageException.class, () -> storage.stat("missing").block(TIMEOUT));
		storage.stat("a").block(TIMEOUT);
		StepVerifier.create(storage.read("a", ReadOptions.defaults().withBufferSize(100)), 1)
			.consumeNextWith(DataBufferUtils::release)
			.thenCancel()
			.verify(TIMEOUT);
		OperationMetrics.Snapshot writes = metrics.metrics(Operation.WRITE).snapshot();
		assertThat(writes.count()).isEqualTo(2);
		assertThat(writes.successes()).isEqualTo(2);
		assertThat(writes.bytes()).isEqualTo(1234);
		assertThat(writes.bytesPerSecondSinceStart()).isPositive();
		assertThat(writes.bytesPerSecondLastMinute()).isPositive();
		OperationMetrics.Snapshot reads = metrics.metrics(Operation.READ).snapshot();
		assertThat(reads.count()).isEqualTo(2);
		assertThat(reads.cancellations()).isEqualTo(1);
		assertThat(reads.bytes()).isEqualTo(1100);
		OperationMetrics.Snapshot stats = metrics.metrics(Operation.STAT).snapshot();
		assertThat(stats.count()).isEqualTo(2);
		assertThat(stats.errors()).containsEntry(ErrorKind.NOT_FOUND, 1L);
		assertThat(stats.errorCount()).isEqualTo(1);
		assertThat(stats.p99Millis()).isPositive().isGreaterThanOrEqualTo(stats.p50Millis());
	}

	@Test
	void metricsCountTransfersAsTheSenderReportsThemAndASendersFailureOrAReleaseAsCancelled() throws Exception {
		java.nio.file.Path root = java.nio.file.Files.createTempDirectory("layer-transfer");
		MetricsLayer metrics = new MetricsLayer();
		ObjectStorage storage = ObjectStorage.builder()
			.backend(new dev.objectstorage.fs.FsBackend(dev.objectstorage.fs.FsSettings.builder().root(root).build()))
			.layer(metrics)
			.build();
		storage.write("f", new byte[10_000]).block(TIMEOUT);
		ObjectContent content = storage.open("f").block(TIMEOUT);
		assertThat(content.isFile()).isTrue();
		// a sender that sends 4000 bytes, reports them, and fails (a client gone midway)
		StepVerifier.create(content.transferTo((file, position, count, sent) -> {
			sent.accept(4000);
			return Mono.error(new java.io.IOException("connection reset"));
		})).verifyErrorSatisfies((ex) -> assertThat(ex).as("the sender's own error, no storage error")
			.isExactlyInstanceOf(java.io.IOException.class)
			.hasMessage("connection reset"));
		storage.open("f").block(TIMEOUT).release();
		ObjectContent whole = storage.open("f").block(TIMEOUT);
		whole.transferTo((file, position, count, sent) -> Mono.fromRunnable(() -> sent.accept(count))).block(TIMEOUT);
		OperationMetrics.Snapshot reads = metrics.metrics(Operation.READ).snapshot();
		assertThat(reads.bytes()).isEqualTo(14_000);
		assertThat(reads.count()).isEqualTo(3);
		assertThat(reads.successes()).isEqualTo(1);
		assertThat(reads.cancellations()).as("the client gone, and released unread").isEqualTo(2);
		assertThat(reads.errorCount()).isZero();
		org.springframework.util.FileSystemUtils.deleteRecursively(root);
	}

	@Test
	void concurrencyLimitHoldsAPermitUntilTheContentIsConsumedOrReleased() {
		ObjectStorage storage = storage(new ConcurrencyLimitLayer(1));
		storage.write("a", "x".getBytes()).block(TIMEOUT);
		ObjectContent first = storage.open("a").block(TIMEOUT);
		// the only permit is held by the open content: the next operation waits
		StepVerifier.create(storage.stat("a")).expectSubscription().expectNoEvent(Duration.ofMillis(100)).thenCancel()
			.verify(TIMEOUT);
		first.release();
		ObjectContent second = storage.open("a").block(TIMEOUT);
		assertThat(DataBufferUtils.join(second.body()).map((buffer) -> {
			int n = buffer.readableByteCount();
			DataBufferUtils.release(buffer);
			return n;
		}).block(TIMEOUT)).isEqualTo(1);
		StepVerifier.create(storage.read("a", ReadOptions.defaults()), 0).thenCancel().verify(TIMEOUT);
		assertThat(storage.stat("a").block(TIMEOUT).size()).as("every permit came back").isEqualTo(1);
	}

	@Test
	void timeoutBoundsTheOpen() {
		Layer stall = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<ObjectContent> open(String path, ReadOptions options) {
				return Mono.never();
			}
		};
		ObjectStorage storage = storage(new TimeoutLayer(new TimeoutSettings(Duration.ofMillis(100), Duration.ofSeconds(30))),
				stall);
		StorageException ex = catchThrowableOfType(StorageException.class, () -> storage.open("a").block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.TIMEOUT);
	}

	@Test
	void latencyBucketsAreOrderedAndTight() {
		int previous = -1;
		for (long micros = 1; micros < 10_000_000_000L; micros = micros * 3 / 2 + 1) {
			int bucket = OperationMetrics.LatencyHistogram.bucket(micros * 1000);
			assertThat(bucket).isGreaterThanOrEqualTo(previous);
			double upper = OperationMetrics.LatencyHistogram.upperMicros(bucket);
			assertThat(upper).isGreaterThanOrEqualTo(micros).isLessThanOrEqualTo(micros * 1.26 + 1);
			previous = bucket;
		}
	}

}
