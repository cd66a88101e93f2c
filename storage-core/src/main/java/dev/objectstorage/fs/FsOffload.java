package dev.objectstorage.fs;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where the fs backend's blocking file I/O runs.
 */
final class FsOffload {

	private final Scheduler scheduler = Schedulers.boundedElastic();

	private final boolean openInPlace;

	/**
	 * @param openInPlace whether {@link #open} runs in place also on a non-blocking thread
	 * ({@link FsSettings#openOnEventLoop()})
	 */
	FsOffload(boolean openInPlace) {
		this.openInPlace = openInPlace;
	}

	Scheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * File I/O blocks, so it must never run on a non-blocking thread (an event loop, Reactor's
	 * parallel scheduler): there, the work moves to the bounded-elastic scheduler. A subscriber on a
	 * thread that may block (an application thread, a bounded-elastic worker, an InputStream reader)
	 * runs it in place, which saves two thread hand-offs per operation, several times the cost of
	 * reading a small cached file.
	 */
	<T> Flux<T> offload(Flux<T> flux) {
		return Flux.defer(() -> Schedulers.isInNonBlockingThread() ? flux.subscribeOn(this.scheduler) : flux);
	}

	<T> Mono<T> offload(Mono<T> mono) {
		return Mono.defer(() -> Schedulers.isInNonBlockingThread() ? mono.subscribeOn(this.scheduler) : mono);
	}

	/**
	 * Like {@link #offload(Mono)}, for a read's open and a stat: in place on any thread when the
	 * settings allow it ({@link FsSettings#openOnEventLoop()}).
	 */
	<T> Mono<T> open(Mono<T> mono) {
		return this.openInPlace ? mono : offload(mono);
	}

}
