package dev.objectstorage.sample;

import java.util.function.BooleanSupplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;

/**
 * Tells a request body that ended with its message from one that ended because the server stopped
 * or its connection closed. When the server stops while an upload is still in flight after the
 * graceful shutdown's wait, Reactor Netty completes the request's body where it was cut (seen with a
 * chunked upload and SIGTERM): without this check the storage would publish the part received as a
 * whole file. A body that completes once the server is stopping, or whose connection is gone, fails
 * instead, so the (atomic) write publishes nothing. Uploads with a {@code Content-Length} are also
 * checked by the storage against that length.
 * <p>
 * A lifecycle bean stopped after the graceful shutdown's wait and before the web server stops
 * (between their phases), so requests that end during the wait complete normally.
 */
@Component
final class CompleteBodies implements SmartLifecycle {

	private volatile boolean running;

	private volatile boolean stopping;

	<T> Flux<T> checked(ServerHttpRequest request, Flux<T> body) {
		BooleanSupplier open = connectionOpen(request);
		return body.concatWith(Mono.defer(() -> (!this.stopping && open.getAsBoolean()) ? Mono.empty()
				: Mono.error(new IncompleteUploadException())));
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// after the graceful shutdown (its phase) has waited for requests, before the server stops
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 512; // START_STOP_LIFECYCLE_PHASE is 1024 below
	}

	private static BooleanSupplier connectionOpen(ServerHttpRequest request) {
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			if (nativeRequest instanceof Connection connection) {
				return () -> connection.channel().isActive();
			}
		}
		catch (IllegalArgumentException ex) {
			// not a server request this code knows: rely on the declared length alone
		}
		return () -> true;
	}

	/** The request's body ended because its connection closed, not with its last byte. */
	static final class IncompleteUploadException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		IncompleteUploadException() {
			super("The upload ended because its connection closed: nothing was stored", null, false, false);
		}

	}

}
