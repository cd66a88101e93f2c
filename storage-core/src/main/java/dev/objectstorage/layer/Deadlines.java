package dev.objectstorage.layer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

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
		Deadline deadline = new Deadline(System.nanoTime() + inNanos, onExpiry);
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

	private void check() {
		long now = System.nanoTime();
		for (Deadline deadline : this.active) {
			if (now - deadline.at >= 0 && deadline.done.compareAndSet(false, true)) {
				this.active.remove(deadline);
				deadline.onExpiry.run();
			}
		}
	}

	int active() {
		return this.active.size();
	}

	/** One watched deadline. */
	final class Deadline {

		private volatile long at;

		private final Runnable onExpiry;

		private final AtomicBoolean done = new AtomicBoolean();

		private Deadline(long at, Runnable onExpiry) {
			this.at = at;
			this.onExpiry = onExpiry;
		}

		/** Moves the deadline to {@code inNanos} from now. */
		void extend(long inNanos) {
			this.at = System.nanoTime() + inNanos;
		}

		/** Stops watching; the expiry action will not run (unless it already has). */
		void cancel() {
			if (this.done.compareAndSet(false, true)) {
				Deadlines.this.active.remove(this);
			}
		}

	}

}
