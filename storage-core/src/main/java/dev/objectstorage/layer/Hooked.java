package dev.objectstorage.layer;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * One pass-through operator that runs a layer's hooks: each value on its way (and may replace it),
 * and the end of the subscription, once, whichever way it ends (complete, error, cancel), before the
 * signal travels on. Written by hand because Reactor's {@code doOnNext}, {@code doOnComplete},
 * {@code doOnError}, {@code doOnCancel} and {@code doFinally} each add an operator and a subscriber
 * to every subscription, and a layer needs most of them on every read: four of them around a 4 KiB
 * memory read cost more than the read ({@code storage-benchmarks}, {@code read_full}). Reactor's
 * {@code tap} is one operator too, but calls a listener object with a dozen hooks through
 * try/catch blocks per signal and cannot replace a value.
 */
final class Hooked {

	private Hooked() {
	}

	/**
	 * What a layer does with the signals of one subscription. Hooks must not throw.
	 * @param <T> the type of values
	 */
	interface Hooks<T> {

		/**
		 * Called with every value before it travels on.
		 * @param value the value
		 * @return the value to pass on (the same one, or a wrapper)
		 */
		default T next(T value) {
			return value;
		}

		/**
		 * Called once when the subscription ends, before the signal travels on.
		 * @param signal {@code ON_COMPLETE}, {@code ON_ERROR} or {@code CANCEL}
		 * @param error the error, for {@code ON_ERROR}
		 */
		void ended(SignalType signal, @Nullable Throwable error);

		/**
		 * The context this subscription's upstream sees (what {@code contextWrite} would give).
		 * @param downstream the downstream subscriber's context
		 * @return the context for upstream
		 */
		default Context context(Context downstream) {
			return downstream;
		}

	}

	/**
	 * A flux whose every subscription runs hooks from the given factory.
	 * @param source the source
	 * @param hooks makes the hooks of one subscription
	 * @param <T> the type of values
	 * @return the hooked flux
	 */
	static <T> Flux<T> flux(Flux<T> source, Supplier<? extends Hooks<T>> hooks) {
		return new HookedFlux<>(source, (context) -> hooks.get());
	}

	/**
	 * A flux whose every subscription runs hooks made from the subscriber's context.
	 * @param source the source
	 * @param hooks makes the hooks of one subscription from the downstream context
	 * @param <T> the type of values
	 * @return the hooked flux
	 */
	static <T> Flux<T> fluxContextual(Flux<T> source, Function<ContextView, ? extends Hooks<T>> hooks) {
		return new HookedFlux<>(source, hooks);
	}

	/**
	 * A mono whose every subscription runs hooks from the given factory.
	 * @param source the source
	 * @param hooks makes the hooks of one subscription
	 * @param <T> the type of the value
	 * @return the hooked mono
	 */
	static <T> Mono<T> mono(Mono<T> source, Supplier<? extends Hooks<T>> hooks) {
		return new HookedMono<>(source, (context) -> hooks.get());
	}

	/**
	 * A mono whose every subscription runs hooks made from the subscriber's context.
	 * @param source the source
	 * @param hooks makes the hooks of one subscription from the downstream context
	 * @param <T> the type of the value
	 * @return the hooked mono
	 */
	static <T> Mono<T> monoContextual(Mono<T> source, Function<ContextView, ? extends Hooks<T>> hooks) {
		return new HookedMono<>(source, hooks);
	}

	private static final class HookedFlux<T> extends FluxOperator<T, T> {

		private final Function<ContextView, ? extends Hooks<T>> hooks;

		HookedFlux(Flux<T> source, Function<ContextView, ? extends Hooks<T>> hooks) {
			super(source);
			this.hooks = hooks;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.source.subscribe(new HookedSubscriber<>(actual, this.hooks.apply(actual.currentContext())));
		}

	}

	private static final class HookedMono<T> extends MonoOperator<T, T> {

		private final Function<ContextView, ? extends Hooks<T>> hooks;

		HookedMono(Mono<T> source, Function<ContextView, ? extends Hooks<T>> hooks) {
			super(source);
			this.hooks = hooks;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.source.subscribe(new HookedSubscriber<>(actual, this.hooks.apply(actual.currentContext())));
		}

	}

	private static final class HookedSubscriber<T> implements CoreSubscriber<T>, Subscription {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<HookedSubscriber> ENDED = AtomicIntegerFieldUpdater
			.newUpdater(HookedSubscriber.class, "ended");

		private final CoreSubscriber<? super T> actual;

		private final Hooks<T> hooks;

		private @Nullable Subscription upstream;

		/** 1 once the hooks were told the end (the first of complete, error, cancel). */
		private volatile int ended;

		/** Whether a complete or an error came from upstream (a cancel lets later signals through, as doOn* does). */
		private boolean done;

		private final Context context;

		HookedSubscriber(CoreSubscriber<? super T> actual, Hooks<T> hooks) {
			this.actual = actual;
			this.hooks = hooks;
			this.context = hooks.context(actual.currentContext());
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(T value) {
			if (this.done) {
				Operators.onNextDropped(value, this.context);
				return;
			}
			this.actual.onNext(this.hooks.next(value));
		}

		@Override
		public void onError(Throwable error) {
			if (this.done) {
				Operators.onErrorDropped(error, this.context);
				return;
			}
			this.done = true;
			if (ENDED.compareAndSet(this, 0, 1)) {
				this.hooks.ended(SignalType.ON_ERROR, error);
			}
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			if (this.done) {
				return;
			}
			this.done = true;
			if (ENDED.compareAndSet(this, 0, 1)) {
				this.hooks.ended(SignalType.ON_COMPLETE, null);
			}
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			this.upstream.request(n);
		}

		@Override
		public void cancel() {
			if (ENDED.compareAndSet(this, 0, 1)) {
				this.hooks.ended(SignalType.CANCEL, null);
			}
			this.upstream.cancel();
		}

	}

}
