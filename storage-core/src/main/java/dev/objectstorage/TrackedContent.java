package dev.objectstorage;

import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Write content that remembers whether anyone subscribed to it, so that it can be drained (its
 * buffers released) when the write ends without consuming it.
 */
final class TrackedContent {

	private final Publisher<? extends DataBuffer> source;

	private final AtomicBoolean subscribed = new AtomicBoolean();

	TrackedContent(Publisher<? extends DataBuffer> source) {
		this.source = source;
	}

	/** The content, marked as used once subscribed to. */
	Flux<DataBuffer> flux() {
		return Flux.<DataBuffer>from(this.source).doOnSubscribe((s) -> this.subscribed.set(true));
	}

	/** Subscribes to the content and cancels at once, releasing what it emits, unless it was used. */
	Mono<Void> discardIfUnused() {
		if (!this.subscribed.compareAndSet(false, true)) {
			return Mono.empty();
		}
		return Mono.<Void>create((sink) -> Flux.<DataBuffer>from(this.source)
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.subscribe(new BaseSubscriber<DataBuffer>() {
				@Override
				protected void hookOnSubscribe(Subscription subscription) {
					// Cancel at once: sources that hold buffers release them on cancel (through
					// the discard hook); those that emitted anyway are released in hookOnNext.
					subscription.cancel();
					sink.success();
				}

				@Override
				protected void hookOnNext(DataBuffer buffer) {
					DataBufferUtils.release(buffer);
				}
			}));
	}

}
