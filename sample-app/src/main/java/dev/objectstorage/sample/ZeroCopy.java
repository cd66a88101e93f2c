package dev.objectstorage.sample;

import dev.objectstorage.ObjectContent;
import java.nio.channels.ClosedChannelException;

import io.netty.channel.DefaultFileRegion;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Sends an opened content as the body of a response: where it is a local file and the server is
 * Reactor Netty on plain HTTP, the opened file itself goes to the socket with {@code sendfile}
 * (Netty's {@link DefaultFileRegion}), without passing through memory; otherwise its buffers are
 * streamed.
 * <p>
 * Written here because WebFlux's own zero-copy ({@code ZeroCopyHttpOutputMessage}) takes a path and
 * opens it again: a path can name another version by then (an overwrite replaces the file), while
 * the opened file is the version whose headers go out. The storage's layers still see the transfer:
 * the bytes the socket took are reported back ({@link DefaultFileRegion#transferred()}), also when
 * the client goes away midway, and the read ends when the response does.
 */
final class ZeroCopy {

	private ZeroCopy() {
	}

	static Mono<Void> send(ServerHttpResponse response, ObjectContent content) {
		HttpServerResponse netty = nettyResponse(response);
		if (!content.isFile() || netty == null || content.length() == 0 || !plainConnection(netty)) {
			return response.writeWith(content.body());
		}
		return content.transferTo((file, position, count, sent) -> Mono.defer(() -> {
			DefaultFileRegion region = new DefaultFileRegion(file, position, count);
			// one reference for Netty, which releases what it wrote; one kept here to read what it sent
			// (the region closes the file when the last is released: the content closes it too)
			region.retain();
			return response.setComplete() // commits status and headers
				.then(Mono.defer(() -> netty.sendObject(region).then()))
				// a client that went away: say so in the words WebFlux knows (it logs that at DEBUG, where a
				// bare ClosedChannelException would be an ERROR with a stack trace)
				.onErrorMap(ClosedChannelException.class, AbortedException::new)
				.doFinally((signal) -> {
					sent.accept(region.transferred());
					region.release();
				});
		}));
	}

	private static HttpServerResponse nettyResponse(ServerHttpResponse response) {
		try {
			Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
			return (nativeResponse instanceof HttpServerResponse netty) ? netty : null;
		}
		catch (IllegalArgumentException ex) {
			return null; // not a server response this code knows
		}
	}

	/** Without TLS or compression, where bytes must pass through memory anyway. */
	private static boolean plainConnection(HttpServerResponse response) {
		boolean[] plain = new boolean[1];
		response.withConnection((connection) -> plain[0] = connection.channel().pipeline().get(SslHandler.class) == null
				&& connection.channel().pipeline().get(NettyPipeline.CompressionHandler) == null);
		return plain[0];
	}

}
