package dev.objectstorage.layer;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.spi.Contents;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * An {@link ObjectContent} that forwards to another; layers extend it to watch or shape how a content
 * is consumed. It enforces the at-most-once rule itself, so its hooks run once, for the one way the
 * content is consumed: {@link #body(Flux)} when the body is subscribed to, {@link #transfer} when it is
 * transferred, {@link #released()} when it is released unread.
 */
public abstract class ForwardingContent implements ObjectContent {

	protected final ObjectContent delegate;

	private final AtomicBoolean taken = new AtomicBoolean();

	protected ForwardingContent(ObjectContent delegate) {
		this.delegate = delegate;
	}

	@Override
	public ObjectMetadata metadata() {
		return this.delegate.metadata();
	}

	@Override
	public long offset() {
		return this.delegate.offset();
	}

	@Override
	public long length() {
		return this.delegate.length();
	}

	@Override
	public boolean isFile() {
		return this.delegate.isFile();
	}

	@Override
	public final Flux<DataBuffer> body() {
		return Flux.defer(() -> this.taken.compareAndSet(false, true) ? body(this.delegate.body())
				: Flux.error(Contents.alreadyConsumed()));
	}

	/**
	 * Shapes the delegate's body; called once, on the first subscription.
	 * @param body the delegate's body
	 * @return the body to emit
	 */
	protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
		return body;
	}

	@Override
	public final Mono<Void> transferTo(FileSender sender) {
		if (!isFile()) {
			return Mono.error(Contents.notAFile());
		}
		return Mono.defer(() -> this.taken.compareAndSet(false, true) ? transfer(sender)
				: Mono.error(Contents.alreadyConsumed()));
	}

	/**
	 * Transfers the delegate; called once.
	 * @param sender the caller's sender
	 * @return the transfer
	 */
	protected Mono<Void> transfer(FileSender sender) {
		return this.delegate.transferTo(sender);
	}

	@Override
	public final void release() {
		if (this.taken.compareAndSet(false, true)) {
			this.delegate.release();
			released();
		}
	}

	/**
	 * Called once when the content is released unread, after the delegate was released.
	 */
	protected void released() {
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
