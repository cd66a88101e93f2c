package dev.objectstorage.webdav;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.Ranges;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.ByteBufFlux;
import reactor.util.retry.Retry;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * Opens objects of a {@link WebDavBackend}: a {@code PROPFIND} and a {@code GET} checked to serve
 * the version, the range and the number of bytes expected, its bytes emitted as the given
 * factory's buffers.
 */
final class WebDavReader {

	private final DavClient client;

	private final DataBufferFactory bufferFactory;

	WebDavReader(DavClient client, DataBufferFactory bufferFactory) {
		this.client = client;
		this.bufferFactory = bufferFactory;
	}

	/**
	 * A {@code PROPFIND} for the metadata (dead properties can only be read that way), then a
	 * {@code GET} of the bytes, checked to be of the version the {@code PROPFIND} saw: the served
	 * {@code ETag} must be the server's tag the {@code PROPFIND} gave, and the sizes the response
	 * declares must be that version's. If the object changed in between, both are done again.
	 * Conditions are evaluated on the {@code PROPFIND}'s tag, and the range is resolved against the
	 * size it gave, so an empty object needs no {@code GET}.
	 */
	Mono<ObjectContent> open(String path, ReadOptions options) {
		String full = this.client.full(path);
		return this.client.stat(full)
			.flatMap((found) -> open(full, path, options, found.filter(DavResource::isObject).orElse(null)))
			.retryWhen(Retry.max(2)
				.filter(VersionChanged.class::isInstance)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.onErrorMap(VersionChanged.class::isInstance, (ex) -> (options.ifMatch() != null)
					? StorageException.conditionNotMatch(Operation.READ, path, "ifMatch: the object changed")
					: new StorageException(ErrorKind.UNEXPECTED, "The object kept changing while it was opened",
							Operation.READ, path, null, true, ex))
			.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.READ, path))
			.doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	private Mono<ObjectContent> open(String full, String path, ReadOptions options, @Nullable DavResource resource) {
		if (resource == null) {
			return Mono.error(StorageException.notFound(Operation.READ, path));
		}
		String etag = resource.etag();
		if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), etag)) {
			return Mono.error(StorageException.conditionNotMatch(Operation.READ, path, "ifMatch"));
		}
		if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), etag)) {
			return Mono.error(StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch"));
		}
		ObjectMetadata metadata = resource.metadata(path);
		long length;
		try {
			length = Ranges.length(path, options, metadata.size());
		}
		catch (StorageException ex) {
			return Mono.error(ex);
		}
		if (length == 0) {
			return Mono.just(Contents.empty(metadata, 0)); // an empty object: nothing to GET
		}
		long offset = options.offset();
		boolean whole = offset == 0 && length == metadata.size();
		return this.client.get(this.client.url(full), (headers) -> {
			if (!whole) {
				headers.set(HttpHeaderNames.RANGE, "bytes=" + offset + "-" + (offset + length - 1));
			}
		}, (response) -> respond(response, path, resource, metadata, offset, length));
	}

	/** The {@code GET} served another version than the {@code PROPFIND} before it saw. */
	private static final class VersionChanged extends RuntimeException {

		private static final long serialVersionUID = 1L;

		VersionChanged() {
			super("the object changed between PROPFIND and GET", null, false, false);
		}

	}

	/**
	 * Checks a {@code GET}'s response and makes the content from it. The content owns the response
	 * from here on; on any error the response is discarded by {@link DavClient#get}.
	 */
	private Mono<ObjectContent> respond(DavHttp.StreamedResponse response, String path, DavResource resource,
			ObjectMetadata metadata, long offset, long length) {
		int status = response.status();
		HttpHeaders headers = response.headers();
		long size = metadata.size();
		if (status == 200 || status == 206) {
			String served = DavResource.bare(headers.get(HttpHeaderNames.ETAG));
			String expected = DavResource.bare(resource.serverEtag());
			if (served != null && expected != null && !served.equals(expected)) {
				return Mono.error(new VersionChanged());
			}
			boolean sameTag = served != null && served.equals(expected);
			long declared = contentLength(headers);
			long skip;
			long total;
			if (status == 206) {
				String contentRange = headers.get(HttpHeaderNames.CONTENT_RANGE);
				long[] range = parseContentRange(contentRange);
				if (range != null && range[2] >= 0 && range[2] != size) {
					return Mono.error(sizeMismatch(path, sameTag, "Content-Range: " + contentRange, size));
				}
				if (range == null || range[0] != offset || range[1] - range[0] + 1 != length) {
					return Mono.error(unexpected(path, "the server answered the range " + offset + "-"
							+ (offset + length - 1) + " with Content-Range: " + contentRange));
				}
				if (declared >= 0 && declared != length) {
					return Mono.error(unexpected(path, "the server sent Content-Length: " + declared
							+ " with Content-Range: " + contentRange));
				}
				skip = 0;
				total = length;
			}
			else {
				// the whole object, also when a range was asked for (a server may ignore it): cut it here
				if (declared >= 0 && declared != size) {
					return Mono.error(sizeMismatch(path, sameTag, "Content-Length: " + declared, size));
				}
				skip = offset;
				total = size;
			}
			Flux<DataBuffer> body = slice(response.body(), skip, length, total, path)
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
				.onErrorMap((ex) -> WebDavErrors.map(ex, Operation.READ, path));
			return Mono.just(Contents.streamed(metadata, offset, length, body, response::discard));
		}
		if (status == 416) {
			// the range was within the size the PROPFIND gave: the object has shrunk since
			return response.body().then(Mono.error(new VersionChanged()));
		}
		if (status == 301 || status == 302 || status == 307 || status == 308) {
			// httpd redirects a collection's URL to the same with a '/': a directory is not an object
			return response.body().then(Mono.error(StorageException.notFound(Operation.READ, path)));
		}
		return response.whole().flatMap((answer) -> Mono.error(answer.error("GET")));
	}

	private static StorageException unexpected(String path, String detail) {
		return new StorageException(ErrorKind.UNEXPECTED, "Unexpected WebDAV response to a read of " + path + ": "
				+ detail, Operation.READ, path, null, false, null);
	}

	/**
	 * A response that declares another size than the {@code PROPFIND}'s: another version, unless it
	 * carries the very entity tag the {@code PROPFIND} gave, which makes it a server contradicting
	 * itself.
	 */
	private static RuntimeException sizeMismatch(String path, boolean sameTag, String header, long size) {
		return sameTag ? unexpected(path, "the server sent " + header + " for the version of " + size
				+ " bytes with the same entity tag") : new VersionChanged();
	}

	private static long contentLength(HttpHeaders headers) {
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		try {
			return (length != null) ? Long.parseLong(length.trim()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * Parses {@code bytes first-last/size} ({@code size} may be {@code *}).
	 * @return first, last and size ({@code -1} for {@code *}), or {@code null} if it is no such range
	 */
	static long @Nullable [] parseContentRange(@Nullable String contentRange) {
		if (contentRange == null) {
			return null;
		}
		String range = contentRange.trim();
		if (!range.regionMatches(true, 0, "bytes ", 0, 6)) {
			return null;
		}
		int dash = range.indexOf('-', 6);
		int slash = range.indexOf('/', 6);
		if (dash < 0 || slash < dash) {
			return null;
		}
		try {
			long first = Long.parseLong(range.substring(6, dash).trim());
			long last = Long.parseLong(range.substring(dash + 1, slash).trim());
			String size = range.substring(slash + 1).trim();
			long total = size.equals("*") ? -1 : Long.parseLong(size);
			if (first < 0 || last < first || (total >= 0 && last >= total)) {
				return null;
			}
			return new long[] { first, last, total };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Turns the received Netty buffers into data buffers: of the {@code total} bytes the response
	 * carries, those from {@code skip} on, {@code take} of them. Runs as each buffer arrives, before
	 * Reactor Netty releases it: a Netty buffer factory gets a retained slice (no copy), any other
	 * factory a copy. Stops reading (which closes the connection) once the wanted bytes are through
	 * if more follow; otherwise it lets the response end, so that the connection is reused. A
	 * response that carries more than {@code total} bytes, or ends before the wanted ones are
	 * through, fails: a read never ends short.
	 */
	private Flux<DataBuffer> slice(ByteBufFlux body, long skip, long take, long total, String path) {
		long end = skip + take;
		return Flux.defer(() -> {
			long[] position = new long[1];
			return body.<DataBuffer>handle((ByteBuf buffer, SynchronousSink<DataBuffer> sink) -> {
				long start = position[0];
				long stop = start + buffer.readableBytes();
				position[0] = stop;
				if (stop > total) {
					sink.error(unexpected(path, "the response carries more than the " + total + " bytes it declared"));
					return;
				}
				long from = Math.max(start, skip);
				long to = Math.min(stop, end);
				if (from < to) {
					sink.next(toDataBuffer(buffer, buffer.readerIndex() + (int) (from - start), (int) (to - from)));
				}
				if (end < total && stop >= end) {
					sink.complete();
				}
			}).concatWith(Mono.defer(() -> (position[0] < end) ? Mono.error(new StorageException(ErrorKind.UNEXPECTED,
					"The WebDAV response ended after " + Math.max(0, position[0] - skip) + " of the " + take
							+ " bytes expected",
					Operation.READ, path, null, true, null)) : Mono.empty()));
		});
	}

	private DataBuffer toDataBuffer(ByteBuf buffer, int index, int length) {
		if (this.bufferFactory instanceof NettyDataBufferFactory netty) {
			return netty.wrap(buffer.retainedSlice(index, length));
		}
		DataBuffer copy = this.bufferFactory.allocateBuffer(length);
		try {
			copy.write(buffer.nioBuffer(index, length));
			return copy;
		}
		catch (RuntimeException ex) {
			DataBufferUtils.release(copy);
			throw ex;
		}
	}

}
