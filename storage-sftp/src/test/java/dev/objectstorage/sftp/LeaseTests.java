package dev.objectstorage.sftp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolAcquireTimeoutException;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link Lease#handedOverOnce}, with a real pool: what the pool's borrower may signal in a race
 * (an object after the acquire's timeout error, an object after a cancel) is played in that order
 * by hand, and the object must be back in the pool, not dropped on the way.
 */
class LeaseTests {

	private final InstrumentedPool<String> pool = PoolBuilder.from(Mono.just("channel")).sizeBetween(0, 1).buildPool();

	@Test
	void anObjectDeliveredAfterTheTimeoutErrorGoesBack() {
		PooledRef<String> ref = this.pool.acquire().block(Duration.ofSeconds(10));
		// AbstractPool.Borrower: its timeout fires (onError) while the delivery, whose check of the
		// cancelled flag passed already, goes on (onNext)
		Publisher<PooledRef<String>> borrower = (subscriber) -> {
			subscriber.onSubscribe(new Idle());
			subscriber.onError(new PoolAcquireTimeoutException(Duration.ofSeconds(30)));
			subscriber.onNext(ref);
			subscriber.onComplete();
		};
		// as the connector maps it, and as flatMap, which drops a value that follows an error
		Throwable error = catchThrowable(() -> Lease.handedOverOnce(Mono.fromDirect(borrower))
			.map(PooledRef::poolable)
			.flatMap(Mono::just)
			.block(Duration.ofSeconds(10)));
		// block() wraps a checked exception
		assertThat(reactor.core.Exceptions.unwrap(error)).isInstanceOf(PoolAcquireTimeoutException.class);
		assertThat(this.pool.metrics().acquiredSize()).as("borrowed").isZero();
		assertThat(this.pool.metrics().idleSize()).as("idle").isOne();
	}

	@Test
	void anObjectDeliveredAfterTheCancelGoesBack() {
		PooledRef<String> ref = this.pool.acquire().block(Duration.ofSeconds(10));
		AtomicReference<Subscriber<? super PooledRef<String>>> late = new AtomicReference<>();
		Publisher<PooledRef<String>> borrower = (subscriber) -> {
			subscriber.onSubscribe(new Idle());
			late.set(subscriber);
		};
		AtomicReference<PooledRef<String>> received = new AtomicReference<>();
		Disposable acquire = Lease.handedOverOnce(Mono.fromDirect(borrower)).subscribe(received::set);
		acquire.dispose();
		// AbstractPool.Borrower.deliver checked the cancelled flag just before the cancel
		late.get().onNext(ref);
		late.get().onComplete();
		assertThat(received).hasValue(null);
		assertThat(this.pool.metrics().acquiredSize()).as("borrowed").isZero();
		assertThat(this.pool.metrics().idleSize()).as("idle").isOne();
	}

	@Test
	void anObjectDeliveredInTimeIsHandedOnAndStaysBorrowed() {
		PooledRef<String> ref = Lease.handedOverOnce(this.pool.acquire()).block(Duration.ofSeconds(10));
		assertThat(ref.poolable()).isEqualTo("channel");
		assertThat(this.pool.metrics().acquiredSize()).as("borrowed").isOne();
		ref.release().block(Duration.ofSeconds(10));
		assertThat(this.pool.metrics().idleSize()).as("idle").isOne();
	}

	/** A subscription that does nothing: the test signals by hand. */
	private static final class Idle implements Subscription {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	}

}
