package dev.objectstorage.layer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Deadlines checked by one periodic task, instead of one timer per deadline. Reactor's
 * {@code timeout} operators schedule (and cancel) a timer task for the first element and for every
 * element after it; measured on a 4 KiB file read that costs more than the read itself (about 8 µs
 * of 13), so {@link TimeoutLayer} registers a deadline here instead (a set insertion) and moves it
 * forward with a volatile write per element. The price is resolution: a deadline fires within one
 * tick (a tenth of the shortest timeout, 10 ms to 1 s) after it passes.
 */
final class Deadlines {

	private final Set<Deadline> active = ConcurrentHashMap.newKeySet();

	private final long tickNanos;

	private final Object lock = new Object();

	private Disposable ticker;

	Deadlines(Duration shortestTimeout) {
		long tenth = shortestTimeout.toNanos() / 10;
		this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(tenth, TimeUnit.SECONDS.toNanos(1)));
	}

	/**
	 * Starts watching a deadline.
	 * @param inNanos when it passes, from now
	 * @param onExpiry what to do when it passes (called at most once, on the ticker's thread)
	 * @return the deadline, to move forward or cancel
	 */
	Deadline start(long inNanos, Runnable onExpiry) {
		Deadline deadline = start(inNanos);
		deadline.onExpiry(onExpiry);
		return deadline;
	}

	/**
	 * Starts watching a deadline whose expiry action is set later ({@link Deadline#onExpiry(Runnable)}).
	 * @param inNanos when it passes, from now
	 * @return the deadline, to move forward or cancel
	 */
	Deadline start(long inNanos) {
		Deadline deadline = new Deadline(System.nanoTime() + inNanos);
		this.active.add(deadline);
		ensureTicking();
		return deadline;
	}

	private void ensureTicking() {
		if (this.ticker == null) {
			synchronized (this.lock) {
				if (this.ticker == null) {
					this.ticker = Schedulers.parallel()
						.schedulePeriodically(this::check, this.tickNanos, this.tickNanos, TimeUnit.NANOSECONDS);
				}
			}
		}
	}

	/** Runs the expiry of every deadline that passed (the ticker's task; tests call it directly). */
	void check() {
		long now = System.nanoTime();
		for (Deadline deadline : this.active) {
			if (now - deadline.at >= 0 && Deadline.STATE.compareAndSet(deadline, Deadline.ACTIVE, Deadline.EXPIRED)) {
				this.active.remove(deadline);
				Runnable action = deadline.onExpiry;
				if (action != null) {
					try {
						action.run();
					}
					catch (RuntimeException ex) {
						// one watcher's failure must not stop the ticker that watches every other deadline
						Operators.onErrorDropped(ex, Context.empty());
					}
				}
			}
		}
	}

	int active() {
		return this.active.size();
	}

	/** One watched deadline. */
	final class Deadline {

		private static final AtomicIntegerFieldUpdater<Deadline> STATE = AtomicIntegerFieldUpdater
			.newUpdater(Deadline.class, "state");

		private static final int ACTIVE = 0;

		private static final int CANCELLED = 1;

		private static final int EXPIRED = 2;

		private volatile long at;

		private volatile @Nullable Runnable onExpiry;

		private volatile int state;

		private Deadline(long at) {
			this.at = at;
		}

		/**
		 * Sets what to do when the deadline passes; a deadline handed from one watcher to the next
		 * gets the next one's action. Whoever sets it checks {@link #expired()} afterwards: an expiry
		 * that raced with the change may have run the previous action.
		 */
		void onExpiry(Runnable action) {
			this.onExpiry = action;
		}

		/** Moves the deadline to {@code inNanos} from now. */
		void extend(long inNanos) {
			this.at = System.nanoTime() + inNanos;
		}

		/** Whether the deadline passed (not merely cancelled). */
		boolean expired() {
			return this.state == EXPIRED;
		}

		/** Stops watching; the expiry action will not run (unless it already has). */
		void cancel() {
			if (STATE.compareAndSet(this, ACTIVE, CANCELLED)) {
				Deadlines.this.active.remove(this);
			}
		}

	}

}
