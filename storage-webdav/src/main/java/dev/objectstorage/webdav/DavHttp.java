package dev.objectstorage.webdav;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP side of the backend: one Reactor Netty {@link HttpClient} over a bounded connection
 * pool, with Basic authentication, that sends requests to URLs {@link DavClient} built and reads
 * their responses, whole (small ones) or streamed (the content of reads).
 */
final class DavHttp {

	/**
	 * Idle connections are closed after this, below httpd's default {@code KeepAliveTimeout} of 5
	 * seconds, so that a request rarely goes out on a connection the server is closing.
	 */
	private static final Duration MAX_IDLE = Duration.ofSeconds(4);

	private static final byte[] EMPTY = new byte[0];

	private final ConnectionProvider provider;

	private final HttpClient http;

	DavHttp(WebDavSettings settings) {
		this.provider = ConnectionProvider.builder("webdav")
			.maxConnections(settings.maxConnections())
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(settings.responseTimeout())
			.maxIdleTime(MAX_IDLE)
			.build();
		HttpClient client = HttpClient.create(this.provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
					settings.connectTimeout().toMillis()))
			.responseTimeout(settings.responseTimeout())
			.keepAlive(true);
		if (settings.username() != null) {
			String credentials = Base64.getEncoder()
				.encodeToString((settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
			client = client.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, "Basic " + credentials));
		}
		this.http = client;
	}

	void close() {
		this.provider.dispose();
	}

	/** A response with its (small) body read whole. */
	record DavResponse(int status, HttpHeaders headers, byte[] body) {

		String text() {
			String text = new String(this.body, StandardCharsets.UTF_8);
			return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
		}

		DavStatusException error(String method) {
			String detail = stripTags(text());
			return new DavStatusException(method, this.status, detail);
		}

		private static String stripTags(String html) {
			return html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
		}

	}

	/**
	 * Sends a request with an optional small body and reads the whole response.
	 */
	Mono<DavResponse> exchange(String method, String url, @Nullable Consumer<HttpHeaders> headers,
			byte @Nullable [] body) {
		HttpClient client = this.http.headers((h) -> {
			if (body != null) {
				h.set(HttpHeaderNames.CONTENT_TYPE, "application/xml; charset=utf-8");
				h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
			}
			if (headers != null) {
				headers.accept(h);
			}
		});
		HttpClient.RequestSender sender = client.request(HttpMethod.valueOf(method)).uri(url);
		HttpClient.ResponseReceiver<?> receiver = (body != null)
				? sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body))) : sender;
		return receiver.responseSingle((response, bytes) -> bytes.asByteArray()
			.defaultIfEmpty(EMPTY)
			.map((b) -> new DavResponse(response.status().code(), response.responseHeaders(), b)));
	}

	/** A {@code PUT} that streams the given buffers (chunked); Reactor Netty releases each buffer it takes. */
	Mono<DavResponse> put(String url, Publisher<ByteBuf> body) {
		return this.http.headers((h) -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream"))
			.put()
			.uri(url)
			.send(body)
			.responseSingle((response, bytes) -> bytes.asByteArray()
				.defaultIfEmpty(EMPTY)
				.map((b) -> new DavResponse(response.status().code(), response.responseHeaders(), b)));
	}

	/**
	 * A {@code GET} whose response the handler turns into a value that may own the response's
	 * body, to be streamed after the value was emitted. Reactor Netty's {@code response(...)} discards
	 * the body when the handler's publisher ends, so this uses {@code responseConnection(...)} and
	 * gives the body back itself: if the handler's {@code Mono} fails, completes empty or is cancelled
	 * before it emits, the response is {@linkplain StreamedResponse#discard() discarded} here; once
	 * it emitted, the value owns the response and must read its body or discard it (a value dropped on
	 * cancellation reaches the caller's discard hook).
	 * @param url the URL
	 * @param headers sets the request headers
	 * @param handler makes the value from the response
	 * @return the value
	 */
	<T> Mono<T> get(String url, Consumer<HttpHeaders> headers, Function<StreamedResponse, Mono<T>> handler) {
		return this.http.headers(headers).get().uri(url).responseConnection((response, connection) -> {
			StreamedResponse streamed = new StreamedResponse(response, connection);
			Mono<T> value;
			try {
				value = handler.apply(streamed);
			}
			catch (RuntimeException ex) {
				streamed.discard();
				return Mono.error(ex);
			}
			AtomicBoolean emitted = new AtomicBoolean();
			return value.doOnNext((v) -> emitted.set(true)).doFinally((signal) -> {
				if (!emitted.get()) {
					streamed.discard();
				}
			});
		}).next();
	}

	/**
	 * A response whose body has not been read yet: its receiver reads the body once, or discards it.
	 */
	static final class StreamedResponse {

		private final HttpClientResponse response;

		private final Connection connection;

		StreamedResponse(HttpClientResponse response, Connection connection) {
			this.response = response;
			this.connection = connection;
		}

		int status() {
			return this.response.status().code();
		}

		HttpHeaders headers() {
			return this.response.responseHeaders();
		}

		/**
		 * The body, as Reactor Netty receives it: each buffer is released after it was emitted, so a
		 * subscriber that keeps one retains it. Cancelling closes the connection unless the whole
		 * response was received; completing gives the connection back to the pool.
		 * @return the body; can be subscribed to once
		 */
		ByteBufFlux body() {
			return this.connection.inbound().receive();
		}

		/** Reads the whole (small) body, for an error. */
		Mono<DavResponse> whole() {
			return body().aggregate()
				.asByteArray()
				.defaultIfEmpty(EMPTY)
				.map((bytes) -> new DavResponse(status(), headers(), bytes));
		}

		/**
		 * Gives the response back without reading (the rest of) its body: what was received is
		 * released, and the connection is closed if the response was not received whole (its bytes
		 * would otherwise stay in the way of the next request). Safe to call more than once, and after
		 * the body was read: a connection that was given back to the pool is left alone. Runs on the
		 * connection's event loop, whatever the calling thread.
		 */
		void discard() {
			if (this.connection instanceof ChannelOperations<?, ?> operations) {
				operations.discard();
			}
			else {
				this.connection.dispose();
			}
		}

	}

}
