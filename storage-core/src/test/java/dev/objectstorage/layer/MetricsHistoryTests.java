package dev.objectstorage.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetricsHistory} on a virtual clock: nothing here waits for real time.
 */
class MetricsHistoryTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	/** 2026-11-30T02:00:00.250Z: a quarter into a wall-clock second. */
	private static final long EPOCH_MILLIS = 1_795_053_600_250L;

	private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

	private final MetricsHistory history = new MetricsHistory(this.clock::get, EPOCH_MILLIS);

	/** Moves the clock by whole seconds (from a quarter into the current wall-clock second). */
	private void advance(double seconds) {
		this.clock.addAndGet((long) (seconds * SECOND));
	}

	@Test
	void eachSecondHoldsWhatHappenedInIt() {
		this.history.read(100, this.history.now());
		this.history.written(7, this.history.now());
		advance(1);
		this.history.read(50, this.history.now());
		this.history.ended(TimeUnit.MILLISECONDS.toNanos(3), false, this.history.now());
		this.history.ended(TimeUnit.MILLISECONDS.toNanos(3), true, this.history.now());
		advance(2); // a silent second in between
		this.history.read(1, this.history.now());
		advance(1);

		MetricsHistory.Snapshot snapshot = this.history.snapshot();
		// seconds 0..3 are complete; the first began on the wall-clock second the history was made in
		assertThat(snapshot.startEpochMillis()).isEqualTo(EPOCH_MILLIS - 250);
		assertThat(snapshot.readBytes()).containsExactly(100, 50, 0, 1);
		assertThat(snapshot.writtenBytes()).containsExactly(7, 0, 0, 0);
		assertThat(snapshot.operations()).containsExactly(0, 2, 0, 0);
		assertThat(snapshot.errors()).containsExactly(0, 1, 0, 0);
	}

	@Test
	void theSecondUnderWayIsNotShownUntilItEnds() {
		assertThat(this.history.snapshot().seconds()).isZero();
		this.history.read(10, this.history.now());
		assertThat(this.history.snapshot().seconds()).isZero();
		advance(0.74); // still in the first wall-clock second
		assertThat(this.history.snapshot().seconds()).isZero();
		advance(0.02);
		assertThat(this.history.snapshot().readBytes()).containsExactly(10);
	}

	@Test
	void keepsTheLastFiveMinutesInFixedSpace() {
		for (int s = 0; s < 1000; s++) {
			this.history.written(s, this.history.now());
			advance(1);
		}
		MetricsHistory.Snapshot snapshot = this.history.snapshot();
		assertThat(snapshot.seconds()).isEqualTo(MetricsHistory.SECONDS);
		assertThat(snapshot.writtenBytes()).containsExactly(LongStream.range(700, 1000).toArray());
		assertThat(snapshot.startEpochMillis()).isEqualTo(EPOCH_MILLIS - 250 + 700_000);
	}

	@Test
	void aLongSilenceLeavesZerosAndForgetsWhatCameBefore() {
		this.history.read(5, this.history.now());
		advance(10_000);
		this.history.read(6, this.history.now());
		advance(1);
		MetricsHistory.Snapshot snapshot = this.history.snapshot();
		assertThat(snapshot.seconds()).isEqualTo(MetricsHistory.SECONDS);
		assertThat(LongStream.of(snapshot.readBytes()).sum()).isEqualTo(6);
		assertThat(snapshot.readBytes()[MetricsHistory.SECONDS - 1]).isEqualTo(6);
	}

	@Test
	void latencyPercentilesPerTenSeconds() {
		// first interval: 99 fast operations and one slow
		for (int i = 0; i < 99; i++) {
			this.history.ended(TimeUnit.MILLISECONDS.toNanos(2), false, this.history.now());
		}
		this.history.ended(TimeUnit.MILLISECONDS.toNanos(900), false, this.history.now());
		this.history.ended(TimeUnit.MILLISECONDS.toNanos(900), false, this.history.now());
		advance(10);
		// second interval: nothing; third: one operation of 40 ms
		advance(10);
		this.history.ended(TimeUnit.MILLISECONDS.toNanos(40), false, this.history.now());
		advance(10);

		MetricsHistory.Snapshot snapshot = this.history.snapshot();
		assertThat(snapshot.latencyStartEpochMillis()).isEqualTo(EPOCH_MILLIS - 250);
		assertThat(snapshot.latencyOperations()).containsExactly(101, 0, 1);
		// buckets are about 12% wide: the figures are upper bounds within that
		assertThat(snapshot.p50Millis()[0]).isBetween(2.0, 2.3);
		assertThat(snapshot.p99Millis()[0]).isBetween(900.0, 1010.0);
		assertThat(snapshot.p50Millis()[1]).isZero();
		assertThat(snapshot.p99Millis()[2]).isBetween(40.0, 45.0);
	}

	@Test
	void noEventIsLostWhileThreadsRaceTheChangeOfSecond() throws InterruptedException {
		int threads = 4;
		int events = 200_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				for (int i = 0; i < events; i++) {
					this.history.read(1, this.history.now());
					this.history.ended(1000, (i % 10) == 0, this.history.now());
					if (i % 1000 == 0) {
						advance(0.01); // every thread moves time on: seconds change while others record
					}
				}
			});
			worker.start();
			workers.add(worker);
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		advance(1);
		MetricsHistory.Snapshot snapshot = this.history.snapshot();
		assertThat(snapshot.seconds()).isBetween(2, MetricsHistory.SECONDS);
		assertThat(LongStream.of(snapshot.readBytes()).sum()).isEqualTo((long) threads * events);
		assertThat(LongStream.of(snapshot.operations()).sum()).isEqualTo((long) threads * events);
		assertThat(LongStream.of(snapshot.errors()).sum()).isEqualTo((long) threads * events / 10);
		for (int k = 0; k < snapshot.seconds(); k++) {
			assertThat(snapshot.errors()[k]).isNotNegative();
			assertThat(snapshot.readBytes()[k]).isNotNegative();
		}
	}

}
