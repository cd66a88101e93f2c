package dev.objectstorage.sftp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.pool.PooledRef;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An open cancelled while what it borrowed is on its way to the subscriber (the pooled channel,
 * the lease, the content) gives the channel back, wherever the cancel catches it: a probe that
 * Reactor puts between every two operators of the open cancels the subscriber from inside the
 * {@code n}-th step, for every {@code n}, deterministically (the cancel runs to its end before the
 * value goes on, as if another thread had cancelled at that instant). The subscriber drops a value
 * that comes after its cancel, as Reactor's lambda subscriber does: the backend must not count on
 * the subscriber to release it. Only the last step, from the open's outermost operator to the
 * subscriber, is left out: a value the subscriber was sent is the subscriber's (Reactive Streams),
 * and no publisher can tell whether it dropped it.
 */
class SftpOpenCancelTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String HOOK = SftpOpenCancelTests.class.getName();

	private static EmbeddedSftpServer server;

	@BeforeAll
	static void start() {
		server = EmbeddedSftpServer.start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void openCancelledAtAnyStepOfItsWayGivesItsChannelBack() throws Exception {
		String root = "/it-" + UUID.randomUUID().toString().substring(0, 8);
		AtomicInteger opened = new AtomicInteger();
		// a lost channel makes the next operation wait for it in vain: 30 s is a bound for a busy
		// machine, not a measure of speed
		SftpSettings settings = server.settingsBuilder(root).maxChannels(1).acquireTimeout(Duration.ofSeconds(30))
			.build();
		try (SftpBackend backend = new SftpBackend(settings, DefaultDataBufferFactory.sharedInstance, (client) -> {
			opened.incrementAndGet();
			return client;
		})) {
			ObjectMetadata written = backend
				.write("steps/a",
						Mono.<DataBuffer>fromSupplier(() -> DefaultDataBufferFactory.sharedInstance
							.wrap("some bytes".getBytes(StandardCharsets.UTF_8)))
							.flux(),
						WriteOptions.defaults())
				.block(TIMEOUT);
			for (String path : List.of("steps/a", "steps/missing")) {
				// how many steps the borrowed values take when nothing cancels
				Probe counting = new Probe(Integer.MAX_VALUE);
				DroppingSubscriber whole = open(backend, path, counting);
				assertThat(whole.ended.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
				if (path.equals("steps/a")) {
					ObjectContent content = whole.content.get();
					assertThat(content).isNotNull();
					assertThat(content.metadata()).isEqualTo(written);
					content.release();
				}
				assertThat(counting.steps).as("steps counted for %s", path).contains("Lease");
				if (path.equals("steps/a")) {
					assertThat(counting.steps).contains("BackendContent");
				}
				assertThat(backend.stat("steps/a").block(TIMEOUT)).isEqualTo(written);

				for (int step = 1; step <= counting.steps.size(); step++) {
					Probe probe = new Probe(step);
					DroppingSubscriber cancelled = open(backend, path, probe);
					assertThat(probe.fired.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
						.as("the cancel fired at step %d of %s", step, counting.steps)
						.isTrue();
					assertThat(cancelled.content.get()).as("nothing reaches a cancelled subscriber").isNull();
					// waits for the channel: one lost makes this time out
					AtomicReference<ObjectMetadata> stat = new AtomicReference<>();
					Throwable lost = catchThrowable(() -> stat.set(backend.stat("steps/a").block(TIMEOUT)));
					assertThat(lost).as("the channel is back after an open of %s cancelled at %s", path, probe.firedAt)
						.isNull();
					assertThat(stat.get()).isEqualTo(written);
				}
			}
			assertThat(opened).as("SFTP channels opened").hasValue(1);
		}
	}

	/**
	 * Subscribes to an open with the probe between every two of its operators (assembled while the
	 * hook is on; the hook stays on until the open has subscribed, as flatMap assembles its inner
	 * open when the lease arrives).
	 */
	private static DroppingSubscriber open(SftpBackend backend, String path, Probe probe) throws InterruptedException {
		DroppingSubscriber subscriber = new DroppingSubscriber();
		probe.subscriber = subscriber;
		Hooks.onEachOperator(HOOK, Operators.lift((scannable, actual) -> probe.wrap(actual)));
		try {
			backend.open(path, ReadOptions.defaults()).subscribe(subscriber);
			// the open's operators are assembled once its call runs: the probe saw its first value then
			assertThat(probe.assembled.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		}
		finally {
			Hooks.resetOnEachOperator(HOOK);
		}
		return subscriber;
	}

	/**
	 * Between two operators: counts the borrowed values that pass (a pooled channel, a lease, a
	 * content) and, at the chosen step, cancels the subscriber before passing the value on.
	 */
	static final class Probe {

		final int fireAt;

		final List<String> steps = new ArrayList<>();

		final CountDownLatch assembled = new CountDownLatch(1);

		final CountDownLatch fired = new CountDownLatch(1);

		volatile String firedAt = "";

		volatile DroppingSubscriber subscriber;

		Probe(int fireAt) {
			this.fireAt = fireAt;
		}

		<T> CoreSubscriber<T> wrap(CoreSubscriber<T> actual) {
			return new Step<>(actual);
		}

		synchronized void step(Object value) {
			this.steps.add(value.getClass().getSimpleName());
			if (value instanceof ObjectContent) {
				this.assembled.countDown();
			}
			if (this.steps.size() == this.fireAt) {
				this.firedAt = "step " + this.fireAt + " (" + value.getClass().getSimpleName() + ") of " + this.steps;
				this.subscriber.dispose();
				this.fired.countDown();
				this.assembled.countDown();
			}
		}

		/** One probe between two operators. */
		final class Step<T> implements CoreSubscriber<T> {

			final CoreSubscriber<T> actual;

			Step(CoreSubscriber<T> actual) {
				this.actual = actual;
			}

			/** Whether only probes stand between this step and the subscriber: past the open's operators. */
			boolean last() {
				return this.actual == Probe.this.subscriber
						|| (this.actual instanceof Probe.Step<?> next && next.last());
			}

			@Override
			public Context currentContext() {
				return this.actual.currentContext();
			}

			@Override
			public void onSubscribe(Subscription s) {
				// a plain subscription: no fusion, so every value goes through onNext
				this.actual.onSubscribe(new Subscription() {

					@Override
					public void request(long n) {
						s.request(n);
					}

					@Override
					public void cancel() {
						s.cancel();
					}

				});
			}

			@Override
			public void onNext(T value) {
				if ((value instanceof PooledRef || value instanceof Lease || value instanceof ObjectContent) && !last()) {
					step(value);
				}
				this.actual.onNext(value);
			}

			@Override
			public void onError(Throwable error) {
				if (this.actual == Probe.this.subscriber) {
					Probe.this.assembled.countDown();
				}
				this.actual.onError(error);
			}

			@Override
			public void onComplete() {
				this.actual.onComplete();
			}

		}

	}

	/**
	 * Takes a content, or drops one that comes after its cancel (as Reactor's lambda subscriber
	 * does); records whether it ended.
	 */
	static final class DroppingSubscriber implements CoreSubscriber<ObjectContent>, Disposable {

		final AtomicReference<Subscription> subscription = new AtomicReference<>();

		final AtomicBoolean cancelled = new AtomicBoolean();

		final AtomicReference<ObjectContent> content = new AtomicReference<>();

		final CountDownLatch ended = new CountDownLatch(1);

		@Override
		public void onSubscribe(Subscription s) {
			this.subscription.set(s);
			s.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(ObjectContent value) {
			if (this.cancelled.get()) {
				return; // dropped: whoever sent it after the cancel had to release it
			}
			this.content.set(value);
		}

		@Override
		public void onError(Throwable error) {
			this.ended.countDown();
		}

		@Override
		public void onComplete() {
			this.ended.countDown();
		}

		@Override
		public void dispose() {
			if (this.cancelled.compareAndSet(false, true)) {
				this.subscription.get().cancel();
			}
		}

		@Override
		public boolean isDisposed() {
			return this.cancelled.get();
		}

	}

}
