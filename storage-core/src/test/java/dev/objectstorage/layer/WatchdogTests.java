package dev.objectstorage.layer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.SignalType;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written operators of the layers, driven signal by signal: the expiry is called directly
 * (as the deadlines' ticker would), so no test waits for a clock.
 */
class WatchdogTests {

	private final Deadlines deadlines = new Deadlines(Duration.ofDays(1));

	private final AtomicInteger discarded = new AtomicInteger();

	@Test
	void aStreamWhoseDeadlinePassesIsCancelledAndFailsOnce() {
		TestPublisher<String> upstream = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION,
				TestPublisher.Violation.CLEANUP_ON_TERMINATE);
		Recorder<String> downstream = new Recorder<>();
		Watchdog<String> watchdog = stream(downstream);
		upstream.flux().subscribe(watchdog);
		downstream.request(10);
		upstream.next("a");
		watchdog.run();
		upstream.next("late"); // a source that had it on its way
		upstream.complete();
		assertThat(downstream.signals).containsExactly("next a", "error timeout");
		upstream.assertCancelled();
		assertThat(this.discarded).as("the late value was released").hasValue(1);
	}

	@Test
	void anExpiryWhileAValueIsOnItsWayWaitsForIt() {
		TestPublisher<String> upstream = TestPublisher.create();
		List<Watchdog<String>> self = new ArrayList<>();
		Recorder<String> downstream = new Recorder<>() {
			@Override
			public void onNext(String value) {
				self.get(0).run(); // the ticker's thread, in the middle of this onNext
				super.onNext(value);
				this.signals.add("onNext returned");
			}
		};
		Watchdog<String> watchdog = stream(downstream);
		self.add(watchdog);
		upstream.flux().subscribe(watchdog);
		downstream.request(10);
		upstream.next("a");
		assertThat(downstream.signals).containsExactly("next a", "onNext returned", "error timeout");
	}

	@Test
	void aStreamThatEndsCancelsItsDeadlineAndAnExpiryAfterIsIgnored() {
		TestPublisher<String> upstream = TestPublisher.create();
		Recorder<String> downstream = new Recorder<>();
		Deadlines.Deadline deadline = this.deadlines.start(Duration.ofDays(1).toNanos());
		Watchdog<String> watchdog = new Watchdog<>(downstream, Watchdog.Mode.STREAM, 1000, () -> new Timeout(),
				Function.identity(), (v) -> this.discarded.incrementAndGet()).watch(deadline);
		upstream.flux().subscribe(watchdog);
		downstream.request(10);
		upstream.next("a").complete();
		watchdog.run();
		assertThat(downstream.signals).containsExactly("next a", "complete");
		assertThat(this.deadlines.active()).isZero();
	}

	@Test
	void aSingleResultAfterTheExpiryIsReleased() {
		TestPublisher<String> upstream = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION,
				TestPublisher.Violation.CLEANUP_ON_TERMINATE);
		Recorder<String> downstream = new Recorder<>();
		Watchdog<String> watchdog = new Watchdog<>(downstream, Watchdog.Mode.SINGLE, 0, () -> new Timeout(),
				Function.identity(), (v) -> this.discarded.incrementAndGet())
			.watch(this.deadlines.start(Duration.ofDays(1).toNanos()));
		upstream.mono().subscribe(watchdog);
		downstream.request(1);
		watchdog.run();
		upstream.emit("content");
		assertThat(downstream.signals).containsExactly("error timeout");
		assertThat(this.discarded).hasValue(1);
	}

	@Test
	void aHandedOverDeadlineThatPassedBeforeTheBodyFailsTheBodyAtOnce() {
		Deadlines.Deadline deadline = this.deadlines.start(Duration.ofDays(1).toNanos());
		Recorder<String> opened = new Recorder<>();
		Watchdog<String> open = new Watchdog<>(opened, Watchdog.Mode.HAND_OVER, 0, () -> new Timeout(),
				(v) -> "wrapped " + v, (v) -> this.discarded.incrementAndGet()).watch(deadline);
		TestPublisher<String> opening = TestPublisher.create();
		opening.mono().subscribe(open);
		opened.request(1);
		opening.emit("content");
		assertThat(opened.signals).containsExactly("next wrapped content", "complete");
		assertThat(this.deadlines.active()).as("the deadline runs on with the content").isOne();
		expire(deadline); // the content is held, unread, past the deadline
		assertThat(opened.signals).as("the open's watch had ended").hasSize(2);
		TestPublisher<String> body = TestPublisher.create();
		Recorder<String> reader = new Recorder<>();
		body.flux().subscribe(stream(reader, deadline));
		assertThat(reader.signals).containsExactly("error timeout");
		body.assertCancelled();
	}

	@Test
	void aDeadlineThatPassesBeforeTheSubscriptionEndsItWhenItComes() {
		Deadlines.Deadline deadline = this.deadlines.start(Duration.ofDays(1).toNanos());
		Recorder<String> reader = new Recorder<>();
		Watchdog<String> watchdog = stream(reader, deadline);
		expire(deadline); // the ticker runs the watchdog before its upstream has subscribed
		TestPublisher<String> body = TestPublisher.create();
		body.flux().subscribe(watchdog);
		assertThat(reader.signals).containsExactly("error timeout");
		body.assertCancelled();
	}

	@Test
	void hooksHearTheEndOnceWhicheverWayItComes() {
		for (SignalType end : List.of(SignalType.ON_COMPLETE, SignalType.ON_ERROR, SignalType.CANCEL)) {
			List<String> heard = new ArrayList<>();
			TestPublisher<Integer> upstream = TestPublisher.create();
			Recorder<Integer> downstream = new Recorder<>();
			Hooked.flux(upstream.flux(), () -> new Hooked.Hooks<Integer>() {
				@Override
				public Integer next(Integer value) {
					heard.add("next " + value);
					return value * 10;
				}

				@Override
				public void ended(SignalType signal, Throwable error) {
					heard.add(signal + ((error != null) ? " " + error.getMessage() : ""));
				}
			}).subscribe(downstream);
			downstream.request(5);
			upstream.next(1);
			switch (end) {
				case ON_COMPLETE -> upstream.complete();
				case ON_ERROR -> upstream.error(new IllegalStateException("boom"));
				default -> {
					downstream.subscription.cancel();
					downstream.subscription.cancel();
				}
			}
			assertThat(heard).as(end.toString())
				.containsExactly("next 1", (end == SignalType.ON_ERROR) ? "onError boom" : end.toString());
			assertThat(downstream.signals.get(0)).isEqualTo("next 10");
		}
	}

	private Watchdog<String> stream(CoreSubscriber<String> downstream) {
		return stream(downstream, this.deadlines.start(Duration.ofDays(1).toNanos()));
	}

	private Watchdog<String> stream(CoreSubscriber<String> downstream, Deadlines.Deadline deadline) {
		return new Watchdog<>(downstream, Watchdog.Mode.STREAM, 1000, () -> new Timeout(), Function.identity(),
				(v) -> this.discarded.incrementAndGet())
			.watch(deadline);
	}

	/** Makes a deadline pass now, as the ticker would. */
	private void expire(Deadlines.Deadline deadline) {
		deadline.extend(-1);
		this.deadlines.check();
	}

	static final class Timeout extends RuntimeException {

		Timeout() {
			super("timeout");
		}

	}

	static class Recorder<T> implements CoreSubscriber<T> {

		final List<String> signals = new ArrayList<>();

		Subscription subscription;

		@Override
		public void onSubscribe(Subscription subscription) {
			this.subscription = subscription;
		}

		void request(long n) {
			this.subscription.request(n);
		}

		@Override
		public void onNext(T value) {
			this.signals.add("next " + value);
		}

		@Override
		public void onError(Throwable error) {
			this.signals.add("error " + error.getMessage());
		}

		@Override
		public void onComplete() {
			this.signals.add("complete");
		}

	}

}
