package dev.objectstorage.layer;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A subscriber that ends its subscription with an error when its {@link Deadlines.Deadline} passes:
 * it cancels upstream and sends the error downstream, never at the same time as a value (the
 * "half-serializer" pattern: values come from one thread, the expiry from the ticker's). Values that
 * lose the race are handed to the watchdog's discard action (which releases them).
 * <p>
 * Written by hand because Reactor's {@code timeout} operators schedule a timer per element, and the
 * other way to fail a stream from outside ({@code takeUntilOther} or {@code or} with a
 * {@code Sinks.Empty}) adds four operators, a sink and a serializing subscriber to every read; this is
 * one object per subscription (see {@link Deadlines} for the deadlines themselves).
 *
 * @param <T> the type of values
 */
final class Watchdog<T> implements CoreSubscriber<T>, Subscription, Runnable {

	/** What the watchdog does with the deadline when values arrive. */
	enum Mode {

		/** A stream: every value moves the deadline forward by the idle timeout; the end cancels it. */
		STREAM,

		/** A single result: the value ends the watch and cancels the deadline. */
		SINGLE,

		/**
		 * A single result that takes the deadline with it (an opened content whose body is then
		 * watched under the same deadline): the value ends this watch, the deadline runs on.
		 */
		HAND_OVER

	}

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<Watchdog> STATE = AtomicIntegerFieldUpdater
		.newUpdater(Watchdog.class, "state");

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<Watchdog> WIP = AtomicIntegerFieldUpdater.newUpdater(Watchdog.class,
			"wip");

	private static final int RUNNING = 0;

	private static final int ENDED = 1;

	private final CoreSubscriber<? super T> actual;

	private final Mode mode;

	private final long idleNanos;

	private final Supplier<? extends Throwable> timeout;

	private final Function<? super T, ? extends T> onValue;

	private final Consumer<? super T> discard;

	private Deadlines.@Nullable Deadline deadline;

	/** Volatile: the expiry reads it on the ticker's thread, and may come before the subscription. */
	private volatile @Nullable Subscription upstream;

	/** {@link #RUNNING} until the first of: upstream's end, the expiry, a cancel; a single result's value. */
	private volatile int state;

	/** The half-serializer's count: 1 while a value is on its way downstream, more when an end waits. */
	private volatile int wip;

	/** The end that waits for a value on its way downstream ({@code null} error: complete). */
	private @Nullable Throwable pendingError;

	private boolean delivered;

	/**
	 * @param actual the downstream subscriber
	 * @param mode how values affect the deadline
	 * @param idleNanos in {@link Mode#STREAM}, how far each value moves the deadline
	 * @param timeout the error to send when the deadline passes
	 * @param onValue applied to each value on its way (the identity, or a wrapper)
	 * @param discard releases a value that lost the race with the expiry
	 */
	Watchdog(CoreSubscriber<? super T> actual, Mode mode, long idleNanos, Supplier<? extends Throwable> timeout,
			Function<? super T, ? extends T> onValue, Consumer<? super T> discard) {
		this.actual = actual;
		this.mode = mode;
		this.idleNanos = idleNanos;
		this.timeout = timeout;
		this.onValue = onValue;
		this.discard = discard;
	}

	/**
	 * Starts watching: call before subscribing upstream with this subscriber.
	 * @param deadline the deadline, whose expiry will run this watchdog ({@link #run()})
	 * @return this watchdog
	 */
	Watchdog<T> watch(Deadlines.Deadline deadline) {
		this.deadline = deadline;
		deadline.onExpiry(this);
		return this;
	}

	@Override
	public Context currentContext() {
		return this.actual.currentContext();
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
			if (this.deadline.expired()) {
				// it passed before this subscription began (a content held too long before its body was read)
				run();
			}
		}
	}

	@Override
	public void onNext(T value) {
		if (this.mode != Mode.STREAM) {
			if (!STATE.compareAndSet(this, RUNNING, ENDED)) {
				this.discard.accept(value);
				return;
			}
			if (this.mode == Mode.SINGLE) {
				this.deadline.cancel();
			}
			this.delivered = true;
			this.actual.onNext(this.onValue.apply(value));
			return;
		}
		if (this.state != RUNNING) {
			this.discard.accept(value);
			return;
		}
		this.deadline.extend(this.idleNanos);
		if (this.wip == 0 && WIP.compareAndSet(this, 0, 1)) {
			this.actual.onNext(this.onValue.apply(value));
			if (WIP.decrementAndGet(this) != 0) {
				// the deadline passed while the value was on its way: its error waited for it
				this.actual.onError(this.pendingError);
			}
		}
		else {
			this.discard.accept(value);
		}
	}

	@Override
	public void onError(Throwable error) {
		if (STATE.compareAndSet(this, RUNNING, ENDED)) {
			this.deadline.cancel();
			this.actual.onError(error);
		}
		else if (this.delivered) {
			this.actual.onError(error);
		}
		else {
			Operators.onErrorDropped(error, this.actual.currentContext());
		}
	}

	@Override
	public void onComplete() {
		if (STATE.compareAndSet(this, RUNNING, ENDED)) {
			this.deadline.cancel();
			this.actual.onComplete();
		}
		else if (this.delivered && this.mode != Mode.STREAM) {
			this.actual.onComplete();
		}
	}

	/** The deadline passed: cancel upstream, fail downstream (after a value on its way, if any). */
	@Override
	public void run() {
		if (this.upstream == null) {
			// not subscribed yet: onSubscribe sees the expired deadline and ends the watch itself
			return;
		}
		if (STATE.compareAndSet(this, RUNNING, ENDED)) {
			this.upstream.cancel();
			Throwable error = this.timeout.get();
			this.pendingError = error;
			if (WIP.getAndIncrement(this) == 0) {
				this.actual.onError(error);
			}
		}
	}

	@Override
	public void request(long n) {
		this.upstream.request(n);
	}

	@Override
	public void cancel() {
		if (STATE.compareAndSet(this, RUNNING, ENDED)) {
			this.deadline.cancel();
		}
		this.upstream.cancel();
	}

}
