package dev.objectstorage.sftp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.sshd.sftp.client.SftpClient;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.pool.PooledRef;

/**
 * One borrowed SFTP channel and the worker on which every blocking call made with it runs, one
 * after the other: an operation never blocks its caller's thread (which may be an event loop), and
 * the clean-up of a cancelled operation runs after the call still in flight, not beside it.
 * {@link #release()} closes what the operation left open (handles, temporary files registered with
 * {@link #onRelease}) and returns the channel to the pool, or discards it if the connection broke.
 */
final class Lease {

	/** A blocking call with the channel. */
	@FunctionalInterface
	interface Call<T> {

		@Nullable T call() throws Exception;

	}

	/** A blocking clean-up step. */
	@FunctionalInterface
	interface Cleanup {

		void run() throws Exception;

	}

	private final PooledRef<SftpConnector.Channel> ref;

	private final Scheduler.Worker worker;

	/** Clean-up steps, run last-in first-out; touched on the worker only. */
	private final Deque<Cleanup> cleanups = new ArrayDeque<>();

	private volatile boolean broken;

	/** Set by the first {@link #release()}: a lease goes back once, whoever asks again. */
	private final AtomicBoolean released = new AtomicBoolean();

	Lease(PooledRef<SftpConnector.Channel> ref, Scheduler.Worker worker) {
		this.ref = ref;
		this.worker = worker;
	}

	/**
	 * The pool's acquire, handing on one outcome only: a pooled object that comes after the acquire
	 * ended otherwise goes straight back to the pool instead of being dropped with the channel in it.
	 * Reactor Pool's borrower sends both an error and the object when its pending-acquire timeout
	 * fires while the object is being delivered (the timeout checks and sets the borrower's
	 * cancelled flag, the delivery only checks it: {@code AbstractPool.Borrower}), and Reactor's
	 * operators drop a value that follows an error ({@code map}, {@code flatMap}: only
	 * {@code Operators.onNextDropped}, no discard); the borrower also delivers an object whose
	 * check passed just before a cancel.
	 * @param acquire the pool's acquire
	 * @return the pooled object or the error, whichever came first; an object that comes after the
	 * error or the cancel is released
	 */
	static <T> Mono<PooledRef<T>> handedOverOnce(Mono<PooledRef<T>> acquire) {
		return Mono.<PooledRef<T>>create((sink) -> {
			// set by whichever comes first: the object, the error, the cancel
			AtomicBoolean settled = new AtomicBoolean();
			// a subscriber that sees every value, even after its cancel (a lambda subscriber drops it)
			BaseSubscriber<PooledRef<T>> borrower = new BaseSubscriber<>() {

				@Override
				protected void hookOnNext(PooledRef<T> ref) {
					if (settled.compareAndSet(false, true)) {
						sink.success(ref); // discarded, and so given back, if the sink was cancelled meanwhile
					}
					else {
						giveBack(ref);
					}
				}

				@Override
				protected void hookOnError(Throwable ex) {
					if (settled.compareAndSet(false, true)) {
						sink.error(ex);
					}
				}

				@Override
				protected void hookOnComplete() {
					if (settled.compareAndSet(false, true)) {
						sink.success();
					}
				}

			};
			sink.onCancel(() -> {
				if (settled.compareAndSet(false, true)) {
					borrower.dispose();
				}
			});
			acquire.subscribe(borrower);
		}).doOnDiscard(PooledRef.class, Lease::giveBack);
	}

	private static void giveBack(PooledRef<?> ref) {
		ref.release().subscribe(null, (ex) -> {
			// the pool was closed
		});
	}

	SftpConnector.Channel channel() {
		return this.ref.poolable();
	}

	SftpClient sftp() {
		return this.ref.poolable().sftp;
	}

	/**
	 * Runs a blocking call on the worker.
	 * @param call the call
	 * @return the call's result (empty for {@code null}); a call already running when the
	 * subscriber cancels still completes, and its result is discarded (the discard hook of the
	 * subscriber's context gets it); a call not started yet is skipped
	 */
	<T> Mono<T> call(Call<T> call) {
		return Mono.create((MonoSink<T> sink) -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			// Mono.create runs this even when the subscriber cancelled in onSubscribe (flatMap does
			// when it was cancelled before the lease arrived): then the call is not even started
			sink.onCancel(() -> cancelled.set(true));
			schedule(() -> {
				if (cancelled.get()) {
					return;
				}
				T result;
				try {
					result = call.call();
				}
				catch (Throwable ex) {
					noteFailure(ex);
					if (!cancelled.get()) {
						// after a cancel nobody listens: Reactor would only log the error as dropped
						sink.error(ex);
					}
					return;
				}
				sink.success(result);
			}, sink::error);
		});
	}

	/**
	 * Runs a task on the worker, after the calls scheduled before it.
	 * @param task the task, which must not throw
	 * @param refused called instead, on the caller's thread, if the worker refuses the task (the
	 * backend was closed): the caller must then end its operation itself, or it would wait forever
	 * for a task that never runs
	 */
	void run(Runnable task, Consumer<Throwable> refused) {
		schedule(task, refused);
	}

	/**
	 * A stream that pulls items with a blocking call on the worker, as many as the subscriber
	 * requests, until the call returns {@code null}.
	 * @param next the call that returns the next item, or {@code null} at the end
	 * @return the stream
	 */
	<T> Flux<T> pull(Call<T> next) {
		return Flux.create((FluxSink<T> sink) -> {
			boolean[] done = { false };
			sink.onRequest((n) -> schedule(() -> {
				while (!done[0] && !sink.isCancelled() && sink.requestedFromDownstream() > 0) {
					T item;
					try {
						item = next.call();
					}
					catch (Throwable ex) {
						done[0] = true;
						noteFailure(ex);
						sink.error(ex);
						return;
					}
					if (item == null) {
						done[0] = true;
						sink.complete();
						return;
					}
					sink.next(item);
				}
			}, sink::error));
		}, FluxSink.OverflowStrategy.BUFFER);
	}

	/**
	 * Registers a clean-up step for {@link #release()}; call on the worker.
	 * @param cleanup the step
	 */
	void onRelease(Cleanup cleanup) {
		this.cleanups.push(cleanup);
	}

	/**
	 * Cleans up and returns the channel, after every call scheduled before. Only the first release
	 * does so; a later one completes at once (the first disposed the worker, and the channel may be
	 * another operation's by then).
	 * @return completes when the channel is back in the pool
	 */
	Mono<Void> release() {
		return Mono.create((MonoSink<Void> sink) -> {
			if (!this.released.compareAndSet(false, true)) {
				sink.success();
				return;
			}
			Runnable releaseNow = () -> {
				while (!this.cleanups.isEmpty()) {
					try {
						this.cleanups.pop().run();
					}
					catch (Throwable ex) {
						noteFailure(ex); // best effort: the operation's outcome is decided already
					}
				}
				// first the worker, which cancels the tasks queued behind this one (a call whose
				// subscriber cancelled before it started): nothing runs with the channel once it is back
				this.worker.dispose();
				Mono<Void> back = this.broken ? this.ref.invalidate() : this.ref.release();
				back.onErrorResume((ex) -> Mono.empty()).subscribe();
				sink.success();
			};
			schedule(releaseNow, (ex) -> {
				// the backend was closed: the pool is gone too
				this.ref.invalidate().onErrorResume((e) -> Mono.empty()).subscribe();
				sink.success();
			});
		});
	}

	private void noteFailure(Throwable ex) {
		if (SftpErrors.breaksChannel(ex)) {
			this.broken = true;
		}
	}

	private void schedule(Runnable task, Consumer<Throwable> rejected) {
		try {
			this.worker.schedule(task);
		}
		catch (RejectedExecutionException ex) {
			rejected.accept(new StorageException(ErrorKind.UNEXPECTED, "The SFTP backend is closed", ex));
		}
	}

}
