package dev.objectstorage.sample;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Keeps connections from being hoarded. Reactor Netty closes connections idle between requests
 * ({@code server.netty.idle-timeout}), but a client that sends a request's headers a byte at a time
 * (slowloris), or nothing at all, is never timed out, and enough of them exhaust the process's file
 * descriptors. So: a connection must send each request's headers within {@code sample.header-timeout}
 * of connecting (or of the previous response), and at most {@code sample.max-connections} are open;
 * beyond that, the oldest connection still waiting for its headers is closed to make room, so a
 * client that sends a request at once is served while others hold idle connections.
 * <p>
 * Written by hand: neither Netty nor Reactor Netty offers a header-read timeout or a connection
 * limit on the server.
 */
@Component
class ConnectionLimits implements NettyServerCustomizer {

	private static final String HANDLER = "sample.connectionLimits";

	private final long headerTimeoutNanos;

	private final int maxConnections;

	private final AtomicInteger open = new AtomicInteger();

	/** Connections waiting for a request's headers, oldest first (may hold closed ones: skipped). */
	private final Queue<Channel> waiting = new ConcurrentLinkedQueue<>();

	ConnectionLimits(SampleProperties properties) {
		this.headerTimeoutNanos = properties.getHeaderTimeout().toNanos();
		this.maxConnections = properties.getMaxConnections();
	}

	@Override
	public reactor.netty.http.server.HttpServer apply(reactor.netty.http.server.HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, new Limiter());
			}
			else {
				channel.pipeline().addLast(HANDLER, new Limiter());
			}
		});
	}

	/** How many connections are open (for tests and metrics). */
	int openConnections() {
		return this.open.get();
	}

	private void makeRoom() {
		while (this.open.get() > this.maxConnections) {
			Channel oldest = this.waiting.poll();
			if (oldest == null) {
				return; // every connection is busy with a request: let the new one in
			}
			if (oldest.isActive()) {
				oldest.close();
				return;
			}
		}
	}

	/**
	 * Per connection: counts it, and times the reading of each request's headers. The timer runs
	 * only while no request is in progress: requests read minus responses completed is zero. Both
	 * counts change on the connection's event loop (channelRead, and a write promise's listener),
	 * so a request read before the previous response's last write completed (pipelining, or a busy
	 * loop) is never timed as if it were still owed.
	 */
	private final class Limiter extends ChannelDuplexHandler {

		private ScheduledFuture<?> timeout;

		private boolean counted;

		/** Requests whose headers were read and whose response has not completed. */
		private int inProgress;

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			start(ctx);
			super.channelActive(ctx);
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			if (ctx.channel().isActive()) {
				start(ctx);
			}
		}

		private void start(ChannelHandlerContext ctx) {
			if (this.counted) {
				return;
			}
			this.counted = true;
			ConnectionLimits.this.open.incrementAndGet();
			awaitHeaders(ctx);
			makeRoom();
		}

		private void awaitHeaders(ChannelHandlerContext ctx) {
			cancelTimeout();
			ConnectionLimits.this.waiting.add(ctx.channel());
			this.timeout = ctx.executor().schedule(() -> {
				ctx.close(); // no complete request headers in time
			}, ConnectionLimits.this.headerTimeoutNanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (msg instanceof HttpRequest) {
				this.inProgress++;
				cancelTimeout();
				ConnectionLimits.this.waiting.remove(ctx.channel());
			}
			super.channelRead(ctx, msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof LastHttpContent && !interim(msg)) {
				// the response is complete: if no further request was read meanwhile, the next
				// request's headers are due in time too (the listener runs on the event loop)
				promise.addListener((future) -> {
					this.inProgress = Math.max(0, this.inProgress - 1);
					if (this.inProgress == 0 && ctx.channel().isActive()) {
						awaitHeaders(ctx);
					}
				});
			}
			super.write(ctx, msg, promise);
		}

		/** A 1xx answer (100 Continue is a full response) does not end the request it answers. */
		private static boolean interim(Object msg) {
			return msg instanceof HttpResponse response
					&& response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			cancelTimeout();
			ConnectionLimits.this.waiting.remove(ctx.channel());
			if (this.counted) {
				this.counted = false;
				ConnectionLimits.this.open.decrementAndGet();
			}
			super.channelInactive(ctx);
		}

		private void cancelTimeout() {
			if (this.timeout != null) {
				this.timeout.cancel(false);
				this.timeout = null;
			}
		}

	}

}
