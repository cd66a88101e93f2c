package dev.objectstorage.s3;

import dev.objectstorage.spi.Etags;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.ContentChunks.Chunk;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Finds out, once per backend, whether the server honours the conditions of conditional writes
 * ({@link S3Settings.ConditionalWrites#AUTO}). Some S3-compatible services ignore
 * {@code If-None-Match: *} and {@code If-Match} on writes and overwrite; this library must then
 * refuse conditional writes rather than lose data silently.
 * <p>
 * On a temporary key under the storage's prefix ({@code .conditional-write-probe-<uuid>}) it:
 * <ol>
 * <li>writes a small probe object ({@code PutObject});</li>
 * <li>writes it again with {@code If-None-Match: *} and expects 412 (or 409);</li>
 * <li>writes it again with {@code If-Match} of an entity tag it cannot have, and expects 412;</li>
 * <li>for each condition the server honoured on {@code PutObject}, completes a one-part multipart
 * upload onto the same key with that condition and expects 412 (create, upload part, complete;
 * both conditions share one upload while the server refuses them, then it is aborted);</li>
 * <li>deletes the probe object.</li>
 * </ol>
 * That is 9 small requests where the server honours everything, 4 where it honours no condition
 * on {@code PutObject}, and at most 10. The answer is kept for the backend's life; a probe that
 * fails for another reason (network, permissions) is not kept, and the next conditional write
 * tries again.
 */
final class S3ConditionalWriteProbe {

	/** What the server honours. */
	record Result(boolean putIfNoneMatch, boolean putIfMatch, boolean completeIfNoneMatch, boolean completeIfMatch) {

		boolean ifNotExists() {
			return this.putIfNoneMatch && this.completeIfNoneMatch;
		}

		boolean ifMatch() {
			return this.putIfMatch && this.completeIfMatch;
		}

		/**
		 * Nothing when the options' conditions are honoured, otherwise the error that refuses the write.
		 */
		Mono<Void> check(WriteOptions options, String path, String location) {
			if (options.ifNotExists() && !ifNotExists()) {
				return Mono.error(refusal("If-None-Match: *", this.putIfNoneMatch, "ifNotExists", path, location));
			}
			if (options.ifMatch() != null && !ifMatch()) {
				return Mono.error(refusal("If-Match", this.putIfMatch, "ifMatch", path, location));
			}
			return Mono.empty();
		}

		private static StorageException refusal(String header, boolean onPut, String option, String path,
				String location) {
			String where = onPut ? "on CompleteMultipartUpload (it honours it on PutObject)" : "on PutObject";
			return new StorageException(ErrorKind.UNSUPPORTED, "The S3 server at " + location + " ignores " + header
					+ " " + where + " and would overwrite the object, so a write with " + option
					+ " is refused. Set the S3 setting conditionalWrites (storage.<name>.s3.conditional-writes)"
					+ " to DISABLED to say so up front, or use a server that honours conditional writes",
					Operation.WRITE, path, null, false, null);
		}

	}

	/** An entity tag no object has: the MD5 of nothing is never the tag of the probe's content. */
	private static final String WRONG_ETAG = Etags.quote("00000000000000000000000000000000");

	private static final byte[] CONTENT = "conditional-write probe".getBytes(StandardCharsets.UTF_8);

	private final S3AsyncClient client;

	private final S3Settings settings;

	private final S3Writer writer;

	S3ConditionalWriteProbe(S3AsyncClient client, S3Settings settings, S3Writer writer) {
		this.client = client;
		this.settings = settings;
		this.writer = writer;
	}

	Mono<Result> run() {
		String key = this.settings.prefix() + ".conditional-write-probe-" + UUID.randomUUID();
		return put(key, (b) -> {
		}).then(Mono.defer(() -> putRejected(key, (b) -> b.ifNoneMatch("*"))))
			.flatMap((putIfNoneMatch) -> putRejected(key, (b) -> b.ifMatch(WRONG_ETAG))
				.flatMap((putIfMatch) -> multipart(key, putIfNoneMatch, putIfMatch)
					.map((complete) -> new Result(putIfNoneMatch, putIfMatch, complete[0], complete[1]))))
			.flatMap((result) -> delete(key).thenReturn(result))
			.onErrorResume((ex) -> delete(key).onErrorResume((deleteError) -> Mono.empty()).then(Mono.error(ex)));
	}

	// ---------------------------------------------------------------- PutObject

	private Mono<Void> put(String key, Consumer<PutObjectRequest.Builder> condition) {
		Chunk chunk = chunk();
		PutObjectRequest.Builder request = PutObjectRequest.builder()
			.bucket(this.settings.bucket())
			.key(key)
			.contentLength((long) chunk.size());
		if (this.settings.checksums() == S3Settings.Checksums.WHEN_REQUIRED) {
			request.contentMD5(S3Writer.contentMd5(chunk));
		}
		condition.accept(request);
		PutObjectRequest put = request.build();
		return Mono.fromFuture(() -> this.client.putObject(put, S3Writer.body(chunk)), false).then();
	}

	/** Whether the server refuses a conditional {@code PutObject} whose condition cannot hold. */
	private Mono<Boolean> putRejected(String key, Consumer<PutObjectRequest.Builder> condition) {
		// a server may answer 412 before the body and close the connection while it is still sent (S3Proxy
		// does at times): the client then sees a broken connection, not the answer, so the request is sent
		// again (safe: the condition cannot hold, and the body is the object's own content)
		return put(key, condition)
			.retryWhen(reactor.util.retry.Retry.max(3).filter(S3ConditionalWriteProbe::isConnectionCut))
			.thenReturn(false)
			.onErrorResume(S3ConditionalWriteProbe::isRefusal, (ex) -> Mono.just(true))
			.onErrorResume(S3ConditionalWriteProbe::isNotImplemented, (ex) -> Mono.just(false));
	}

	// ---------------------------------------------------------------- CompleteMultipartUpload

	/** Whether {@code CompleteMultipartUpload} honours each condition (false where PutObject does not). */
	private Mono<boolean[]> multipart(String key, boolean ifNoneMatch, boolean ifMatch) {
		boolean[] honoured = new boolean[2];
		Upload upload = new Upload();
		Mono<Void> checks = Mono.empty();
		if (ifNoneMatch) {
			checks = checks.then(Mono.defer(() -> completeRejected(key, upload, (b) -> b.ifNoneMatch("*"))))
				.doOnNext((refused) -> honoured[0] = refused)
				.then();
		}
		if (ifMatch) {
			checks = checks.then(Mono.defer(() -> completeRejected(key, upload, (b) -> b.ifMatch(WRONG_ETAG))))
				.doOnNext((refused) -> honoured[1] = refused)
				.then();
		}
		return checks.then(Mono.defer(() -> abort(key, upload)))
			.thenReturn(honoured)
			.onErrorResume((ex) -> abort(key, upload).onErrorResume((abortError) -> Mono.empty()).then(Mono.error(ex)));
	}

	/** The probe's open multipart upload, if any, and its one part. */
	private static final class Upload {

		private @Nullable String id;

		private @Nullable CompletedPart part;

	}

	/**
	 * Completes a one-part upload (opened here unless one is still open) with a condition that
	 * cannot hold; whether the server refused. A refused upload stays open for the next check.
	 */
	private Mono<Boolean> completeRejected(String key, Upload upload,
			Consumer<CompleteMultipartUploadRequest.Builder> condition) {
		return open(key, upload).flatMap((part) -> {
			CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
				.bucket(this.settings.bucket())
				.key(key)
				.uploadId(upload.id)
				.multipartUpload(CompletedMultipartUpload.builder().parts(part).build());
			condition.accept(request);
			CompleteMultipartUploadRequest complete = request.build();
			return Mono.fromFuture(() -> this.client.completeMultipartUpload(complete), false)
				.doOnNext((response) -> upload.id = null) // completed: the server ignored the condition
				.thenReturn(false)
				.onErrorResume(S3ConditionalWriteProbe::isRefusal, (ex) -> Mono.just(true))
				.onErrorResume(S3ConditionalWriteProbe::isNotImplemented, (ex) -> Mono.just(false));
		});
	}

	/** The part of the open upload, opening one (create, upload part) if none is open. */
	private Mono<CompletedPart> open(String key, Upload upload) {
		if (upload.id != null && upload.part != null) {
			return Mono.just(upload.part);
		}
		Chunk chunk = chunk();
		return Mono
			.fromFuture(() -> this.client.createMultipartUpload((b) -> b.bucket(this.settings.bucket())
				.key(key)
				.checksumAlgorithm(this.writer.partChecksum())), false)
			.flatMap((created) -> {
				upload.id = created.uploadId();
				return Mono.fromFuture(() -> this.client
					.uploadPart(this.writer.uploadPartRequest(key, created.uploadId(), chunk), S3Writer.body(chunk)), false);
			})
			.map((response) -> {
				upload.part = CompletedPart.builder()
					.partNumber(1)
					.eTag(response.eTag())
					.checksumCRC32(response.checksumCRC32())
					.build();
				return upload.part;
			});
	}

	private Mono<Void> abort(String key, Upload upload) {
		String id = upload.id;
		if (id == null) {
			return Mono.empty();
		}
		upload.id = null;
		return Mono.fromFuture(() -> this.client.abortMultipartUpload((b) -> b.bucket(this.settings.bucket())
			.key(key)
			.uploadId(id)), false).then();
	}

	// ---------------------------------------------------------------- helpers

	private Mono<Void> delete(String key) {
		return Mono.fromFuture(() -> this.client.deleteObject((b) -> b.bucket(this.settings.bucket()).key(key)), false)
			.then();
	}

	/** 412, or 409 (a concurrent conditional write): the server checked the condition. */
	private static boolean isRefusal(Throwable ex) {
		return S3Errors.isStatus(ex, 412) || S3Errors.isStatus(ex, 409);
	}

	/** The connection broke before an answer was read (no status: not the server's word). */
	private static boolean isConnectionCut(Throwable ex) {
		Throwable cause = (ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null)
				? ex.getCause() : ex;
		return cause instanceof software.amazon.awssdk.core.exception.SdkClientException;
	}

	/** 501: the server says outright that it does not do conditional writes. */
	private static boolean isNotImplemented(Throwable ex) {
		return S3Errors.isStatus(ex, 501);
	}

	private static Chunk chunk() {
		return new Chunk(0, CONTENT.clone(), CONTENT.length, true);
	}

}
