package dev.objectstorage.s3;

import java.util.function.Function;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.ContentRange;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.Etags;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Reads of an {@link S3Backend}: a {@code GetObject} whose range and conditions become
 * {@code Range}, {@code If-Match} and {@code If-None-Match} headers, and whose body streams as the
 * SDK delivers it (each {@link java.nio.ByteBuffer} wrapped, not copied), with the metadata of the
 * version served, checked. Errors are mapped here.
 */
final class S3Reader {

	private final S3AsyncClient client;

	private final S3Settings settings;

	private final DataBufferFactory bufferFactory;

	private final Function<String, Mono<ObjectMetadata>> stat;

	/**
	 * A reader.
	 * @param stat the backend's stat, which tells an empty object from a range past the end
	 */
	S3Reader(S3AsyncClient client, S3Settings settings, DataBufferFactory bufferFactory,
			Function<String, Mono<ObjectMetadata>> stat) {
		this.client = client;
		this.settings = settings;
		this.bufferFactory = bufferFactory;
		this.stat = stat;
	}

	Mono<ObjectContent> open(String path, ReadOptions options) {
		GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(this.settings.bucket()).key(key(path));
		if (options.hasRange()) {
			long end = (options.length() < 0) ? -1 : options.offset() + options.length() - 1;
			request.range("bytes=" + options.offset() + "-" + ((end >= 0) ? end : ""));
		}
		if (options.ifMatch() != null) {
			request.ifMatch(Etags.quote(options.ifMatch()));
		}
		if (options.ifNoneMatch() != null) {
			request.ifNoneMatch(Etags.quote(options.ifNoneMatch()));
		}
		GetObjectRequest get = request.build();
		return Mono
			.fromFuture(() -> this.client.getObject(get, AsyncResponseTransformer.<GetObjectResponse>toPublisher()),
					false)
			.map((ResponsePublisher<GetObjectResponse> body) -> content(path, options, body))
			.onErrorResume((ex) -> options.hasRange() && S3Errors.isStatus(ex, 416), (ex) -> emptyIfEmpty(path, ex))
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.READ, path))
			.doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	/** The content of a GET's answer, with the metadata of the version it serves, checked. */
	private ObjectContent content(String path, ReadOptions options, ResponsePublisher<GetObjectResponse> publisher) {
		GetObjectResponse response = publisher.response();
		Flux<DataBuffer> body = Flux.from(publisher)
			.map(this.bufferFactory::wrap)
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.READ, path))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		ContentRange served = ContentRange.parse(response.contentRange());
		Long contentLength = response.contentLength();
		long size = (served != null) ? served.size()
				: (response.contentRange() != null) ? ContentRange.totalSize(response.contentRange())
						: (contentLength != null) ? contentLength : -1;
		if (size < 0) {
			Contents.cancel(body);
			throw new StorageException(ErrorKind.UNEXPECTED, "The server answered a GET without the object's size",
					Operation.READ, path, null, false, null);
		}
		ObjectMetadata metadata = ObjectMetadata.builder(path, size, Etags.quote(response.eTag()))
			.lastModified(response.lastModified())
			.contentType(response.contentType())
			.userMetadata(response.metadata())
			.cacheControl(response.cacheControl())
			.contentDisposition(response.contentDisposition())
			.version(response.versionId())
			.build();
		if (size == 0) {
			// nothing to read; some servers (s3rver) answer a range of an empty object with a Content-Length
			// of 1 and no body, which would never end
			Contents.cancel(body);
			body = Flux.empty();
		}
		// a partial answer with the whole object (s3rver's to 'bytes=0-0') is a whole answer: cut it as one
		boolean partial = served != null && !(served.start() == 0 && served.length() == served.size());
		return Contents.answered(path, options, metadata, partial, partial ? served.start() : 0,
				partial ? served.length() : size, body);
	}

	/** S3 answers 416 to any range of an empty object, where this library returns no bytes. */
	private Mono<ObjectContent> emptyIfEmpty(String path, Throwable rangeError) {
		return this.stat.apply(path)
			.flatMap((meta) -> (meta.size() == 0) ? Mono.just(Contents.empty(meta, 0)) : Mono.error(rangeError));
	}

	private String key(String path) {
		return this.settings.prefix() + path;
	}

}
