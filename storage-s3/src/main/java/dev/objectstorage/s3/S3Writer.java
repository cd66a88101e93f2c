package dev.objectstorage.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.ContentChunks;
import dev.objectstorage.spi.ContentChunks.Chunk;
import dev.objectstorage.spi.Etags;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Streams writes to S3 in bounded memory, and copies objects server-side.
 * <p>
 * The content is cut into parts of {@link S3Settings#partSize()} bytes as it arrives (each incoming
 * buffer is copied into the current part and released at once). If the content ends within
 * {@link S3Settings#partsInFlight()} parts (so within {@code partSize * partsInFlight} bytes, 32 MiB
 * by default, and never more than 5 GiB), it is sent with one {@code PutObject} whose body is the
 * parts' arrays one after the other, not copied again. Otherwise a multipart upload starts, the
 * parts held so far are its first ones, and at most {@code partsInFlight} parts are uploaded at a
 * time. Either way one write holds about {@code partSize * (partsInFlight + 1)} bytes, whatever the
 * object's size and whether its length is known. A {@code PutObject} is sent once the content has
 * ended, a multipart upload's first parts once {@code partsInFlight} parts are full. An upload that
 * fails or is cancelled is aborted, so no parts are left behind. Failed requests (a whole
 * {@code PutObject}, or one part) are retried by the SDK's retry strategy.
 * <p>
 * Checksums follow {@link S3Settings#checksums()}: with {@link S3Settings.Checksums#WHEN_SUPPORTED}
 * every part carries a CRC32 (and so does a {@code PutObject}, by the SDK's default); with
 * {@link S3Settings.Checksums#WHEN_REQUIRED} no flexible checksum is sent, and each request carries a
 * {@code Content-MD5} of all its bytes instead, so that the server still refuses bytes changed on the way.
 * Conditions ({@code If-None-Match: *}, {@code If-Match}) go on the {@code PutObject} or on the
 * {@code CompleteMultipartUpload}.
 * <p>
 * The incoming buffers are copied even where one of them is a whole part: the writer releases each
 * buffer as soon as it is read, and a producer may reuse the memory of a released buffer (a pooled
 * one goes back to its pool; with a {@code DefaultDataBuffer}, whose release does nothing, the
 * producer cannot even tell when the writer is done with its array), so holding on to the buffers
 * until their request is answered would be a change of contract, for a copy that costs far less than
 * sending the bytes.
 * <p>
 * Hand-written because the SDK's transfer manager needs the CRT client for unknown lengths and
 * buffers a whole part per request in its own way; this keeps one code path for every length.
 */
final class S3Writer {

	/** The largest object one {@code PutObject} carries: 5 GiB. */
	static final long MAX_PUT_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;

	private final S3AsyncClient client;

	private final S3Settings settings;

	S3Writer(S3AsyncClient client, S3Settings settings) {
		this.client = client;
		this.settings = settings;
	}

	Mono<ObjectMetadata> write(String path, String key, Flux<DataBuffer> content, WriteOptions options) {
		int partSize = (int) this.settings.partSize();
		Flux<Chunk> parts = ContentChunks.cut(content, partSize, partSize, options.contentLength());
		// the parts held for a PutObject become the multipart upload's first parts
		return ContentChunks.wholeOrParts(parts, (long) singlePutParts() * partSize,
				(held) -> putObject(path, key, held, options),
				(all) -> new MultipartUpload(path, key, options).run(all));
	}

	/**
	 * How many parts one {@code PutObject} may carry: as many as a multipart upload would have in
	 * flight, so that a write holds no more memory than one, and never more than 5 GiB.
	 */
	int singlePutParts() {
		return (int) Math.max(1, Math.min(this.settings.partsInFlight(), MAX_PUT_OBJECT_SIZE / this.settings.partSize()));
	}

	// ---------------------------------------------------------------- single request

	private Mono<ObjectMetadata> putObject(String path, String key, List<Chunk> parts, WriteOptions options) {
		long contentLength = ContentChunks.size(parts);
		PutObjectRequest.Builder request = PutObjectRequest.builder()
			.bucket(this.settings.bucket())
			.key(key)
			.contentLength(contentLength)
			.contentType(options.contentType())
			.cacheControl(options.cacheControl())
			.contentDisposition(options.contentDisposition())
			.metadata(options.userMetadata());
		if (options.ifNotExists()) {
			request.ifNoneMatch("*");
		}
		if (options.ifMatch() != null) {
			request.ifMatch(Etags.quote(options.ifMatch()));
		}
		if (!flexibleChecksums()) {
			request.contentMD5(contentMd5(parts));
		}
		PutObjectRequest put = request.build();
		return Mono.fromFuture(() -> this.client.putObject(put, body(parts)), false)
			.map((response) -> metadata(path, contentLength, response.eTag(), response.sdkHttpResponse(), options,
					response.versionId()))
			.onErrorMap((ex) -> conditionalNotFound(ex, options, path));
	}

	// ---------------------------------------------------------------- multipart

	/** One multipart upload: create, upload parts (a few at a time), complete; abort on failure or cancel. */
	private final class MultipartUpload {

		private final String path;

		private final String key;

		private final WriteOptions options;

		private volatile @Nullable String uploadId;

		private volatile boolean completed;

		MultipartUpload(String path, String key, WriteOptions options) {
			this.path = path;
			this.key = key;
			this.options = options;
		}

		Mono<ObjectMetadata> run(Flux<Chunk> parts) {
			CreateMultipartUploadRequest create = CreateMultipartUploadRequest.builder()
				.bucket(S3Writer.this.settings.bucket())
				.key(this.key)
				.contentType(this.options.contentType())
				.cacheControl(this.options.cacheControl())
				.contentDisposition(this.options.contentDisposition())
				.metadata(this.options.userMetadata())
				.checksumAlgorithm(partChecksum())
				.build();
			long[] size = new long[1];
			return Mono.fromFuture(() -> S3Writer.this.client.createMultipartUpload(create), false)
				.doOnNext((response) -> this.uploadId = response.uploadId())
				.flatMap((response) -> parts
					.doOnNext((part) -> size[0] += part.size())
					.flatMapSequential(this::uploadPart, S3Writer.this.settings.partsInFlight(), 1)
					.collectList())
				.flatMap(this::complete)
				.map((response) -> metadata(this.path, size[0], response.eTag(), response.sdkHttpResponse(),
						this.options, response.versionId()))
				.doOnSuccess((meta) -> this.completed = true)
				.onErrorResume((ex) -> abort().then(Mono.error(conditionalNotFound(ex, this.options, this.path))))
				.doOnCancel(() -> abort().subscribe());
		}

		private Mono<CompletedPart> uploadPart(Chunk part) {
			UploadPartRequest request = uploadPartRequest(this.key, this.uploadId, part);
			return Mono.fromFuture(() -> S3Writer.this.client.uploadPart(request, body(part)), false)
				.map((response) -> CompletedPart.builder()
					.partNumber((part.index() + 1))
					.eTag(response.eTag())
					.checksumCRC32(response.checksumCRC32())
					.build());
		}

		private Mono<software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse> complete(
				List<CompletedPart> parts) {
			CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
				.bucket(S3Writer.this.settings.bucket())
				.key(this.key)
				.uploadId(this.uploadId)
				.multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
			if (this.options.ifNotExists()) {
				request.ifNoneMatch("*");
			}
			if (this.options.ifMatch() != null) {
				request.ifMatch(Etags.quote(this.options.ifMatch()));
			}
			CompleteMultipartUploadRequest completeRequest = request.build();
			return Mono.fromFuture(() -> S3Writer.this.client.completeMultipartUpload(completeRequest), false);
		}

		private Mono<Void> abort() {
			String id = this.uploadId;
			if (id == null || this.completed) {
				return Mono.empty();
			}
			this.uploadId = null;
			return Mono
				.fromFuture(() -> S3Writer.this.client.abortMultipartUpload((b) -> b
					.bucket(S3Writer.this.settings.bucket())
					.key(this.key)
					.uploadId(id)))
				.then()
				.onErrorResume((ex) -> Mono.empty()); // the original error matters more; S3 lifecycle rules can sweep
		}

	}

	/** The flexible checksum of each part: CRC32, or none where the settings send checksums only when required. */
	@Nullable ChecksumAlgorithm partChecksum() {
		return flexibleChecksums() ? ChecksumAlgorithm.CRC32 : null;
	}

	UploadPartRequest uploadPartRequest(String key, @Nullable String uploadId, Chunk part) {
		UploadPartRequest.Builder request = UploadPartRequest.builder()
			.bucket(this.settings.bucket())
			.key(key)
			.uploadId(uploadId)
			.partNumber((part.index() + 1))
			.contentLength((long) part.size())
			.checksumAlgorithm(partChecksum());
		if (!flexibleChecksums()) {
			request.contentMD5(contentMd5(part));
		}
		return request.build();
	}

	private boolean flexibleChecksums() {
		return this.settings.checksums() == S3Settings.Checksums.WHEN_SUPPORTED;
	}

	/** The base64 MD5 of a part's bytes, for {@code Content-MD5}. */
	static String contentMd5(Chunk part) {
		return contentMd5(List.of(part));
	}

	/** The base64 MD5 of the parts' bytes one after the other, for {@code Content-MD5}. */
	static String contentMd5(List<Chunk> parts) {
		try {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			for (Chunk part : parts) {
				for (ByteBuffer bytes : part.byteBuffers()) {
					md5.update(bytes);
				}
			}
			return Base64.getEncoder().encodeToString(md5.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is missing from this JVM", ex);
		}
	}

	// ---------------------------------------------------------------- copy

	Mono<Void> copy(String sourceKey, String targetKey) {
		String bucket = this.settings.bucket();
		return Mono.fromFuture(() -> this.client.headObject((b) -> b.bucket(bucket).key(sourceKey)))
			.flatMap((head) -> {
				long size = (head.contentLength() != null) ? head.contentLength() : 0;
				if (size > this.settings.multipartCopyThreshold()) {
					return multipartCopy(sourceKey, targetKey, head, size);
				}
				return Mono.fromFuture(() -> this.client.copyObject((b) -> b.sourceBucket(bucket)
					.sourceKey(sourceKey)
					.destinationBucket(bucket)
					.destinationKey(targetKey)
					.copySourceIfMatch(head.eTag())
					.metadataDirective(MetadataDirective.COPY))).then();
			});
	}

	private Mono<Void> multipartCopy(String sourceKey, String targetKey, HeadObjectResponse head, long size) {
		String bucket = this.settings.bucket();
		// S3 allows 10,000 parts: grow the part size for very large objects
		long partSize = Math.max(this.settings.partSize(), (size + 9_999) / 10_000);
		int count = (int) ((size + partSize - 1) / partSize);
		String[] uploadId = new String[1];
		return Mono
			.fromFuture(() -> this.client.createMultipartUpload((b) -> b.bucket(bucket)
				.key(targetKey)
				.contentType(head.contentType())
				.cacheControl(head.cacheControl())
				.contentDisposition(head.contentDisposition())
				.metadata(head.metadata())))
			.flatMap((created) -> {
				uploadId[0] = created.uploadId();
				return Flux.range(1, count)
					.flatMapSequential((number) -> {
						long first = (number - 1) * partSize;
						long last = Math.min(size, first + partSize) - 1;
						return Mono.fromFuture(() -> this.client.uploadPartCopy((b) -> b.sourceBucket(bucket)
							.sourceKey(sourceKey)
							.copySourceIfMatch(head.eTag())
							.destinationBucket(bucket)
							.destinationKey(targetKey)
							.uploadId(created.uploadId())
							.partNumber(number)
							.copySourceRange("bytes=" + first + "-" + last)))
							.map((response) -> CompletedPart.builder()
								.partNumber(number)
								.eTag(response.copyPartResult().eTag())
								.build());
					}, this.settings.partsInFlight())
					.collectList()
					.flatMap((parts) -> Mono.fromFuture(() -> this.client.completeMultipartUpload((b) -> b.bucket(bucket)
						.key(targetKey)
						.uploadId(created.uploadId())
						.multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()))));
			})
			.then()
			.onErrorResume((ex) -> {
				if (uploadId[0] == null) {
					return Mono.error(ex);
				}
				return Mono.fromFuture(() -> this.client.abortMultipartUpload((b) -> b.bucket(bucket)
					.key(targetKey)
					.uploadId(uploadId[0]))).onErrorResume((abortError) -> Mono.empty()).then(Mono.error(ex));
			});
	}

	// ---------------------------------------------------------------- helpers

	/** A conditional write on a missing object: S3 says 404, this library says the condition failed. */
	private static Throwable conditionalNotFound(Throwable ex, WriteOptions options, String path) {
		if (options.ifMatch() != null && S3Errors.isStatus(ex, 404)) {
			return StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object");
		}
		return ex;
	}

	private static ObjectMetadata metadata(String path, long size, String etag, SdkHttpResponse http,
			WriteOptions options, @Nullable String version) {
		return ObjectMetadata.builder(path, size, Etags.quote(etag)).lastModified(date(http))
			.attributesOf(options)
			.version(version)
			.build();
	}

	/** The server's time of the response, the closest thing to the new object's modification time. */
	private static @Nullable Instant date(SdkHttpResponse http) {
		Optional<String> date = http.firstMatchingHeader("Date");
		try {
			return date.map((d) -> ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
				.orElse(null);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** A part's bytes for the SDK, without a copy (the chunk is not changed after it is cut). */
	static AsyncRequestBody body(Chunk part) {
		return body(List.of(part));
	}

	/** The parts' bytes one after the other, as one body, without a copy. */
	static AsyncRequestBody body(List<Chunk> parts) {
		List<ByteBuffer> buffers = new ArrayList<>();
		for (Chunk part : parts) {
			buffers.addAll(part.byteBuffers());
		}
		if (buffers.size() == 1) {
			return AsyncRequestBody.fromByteBufferUnsafe(buffers.get(0));
		}
		return AsyncRequestBody.fromByteBuffersUnsafe(buffers.toArray(new ByteBuffer[0]));
	}

}
