package dev.objectstorage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.Etags;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The operations of an {@link S3Backend} other than reads and writes: the bucket check
 * ({@code HeadBucket}), stat ({@code HeadObject}), delete, {@code deleteAll} ({@code DeleteObjects}
 * in batches of {@value #DELETE_BATCH}), listings ({@link S3Lister}), server-side copy, rename as
 * copy then delete, and presigned URLs. Errors are mapped here.
 */
final class S3Operations {

	static final int DELETE_BATCH = 1000;

	private final S3AsyncClient client;

	private final S3Settings settings;

	private final S3Writer writer;

	private final S3Presigner presigner;

	S3Operations(S3AsyncClient client, S3Settings settings, S3Writer writer, S3Presigner presigner) {
		this.client = client;
		this.settings = settings;
		this.writer = writer;
		this.presigner = presigner;
	}

	// ---------------------------------------------------------------- stat, delete

	/** {@code HeadBucket}: the bucket exists and the credentials are accepted. */
	Mono<Void> check() {
		String bucket = this.settings.bucket();
		return Mono.fromFuture(() -> this.client.headBucket((b) -> b.bucket(bucket))).then().onErrorMap((ex) -> {
			StorageException mapped = S3Errors.map(ex, Operation.STAT, null);
			if (mapped.kind() == ErrorKind.NOT_FOUND || mapped.kind() == ErrorKind.CONFIG_INVALID
					&& S3Errors.isStatus(ex, 404)) {
				return new StorageException(ErrorKind.CONFIG_INVALID, "The bucket '" + bucket + "' does not exist"
						+ ((this.settings.endpoint() != null) ? " at " + this.settings.endpoint() : ""),
						Operation.STAT, null, null, false, ex);
			}
			return mapped;
		});
	}

	Mono<ObjectMetadata> stat(String path) {
		return Mono.fromFuture(() -> this.client.headObject((b) -> b.bucket(this.settings.bucket()).key(key(path))))
			.map((head) -> metadata(path, head))
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.STAT, path));
	}

	static ObjectMetadata metadata(String path, HeadObjectResponse head) {
		return ObjectMetadata
			.builder(path, (head.contentLength() != null) ? head.contentLength() : 0, Etags.quote(head.eTag()))
			.lastModified(head.lastModified())
			.contentType(head.contentType())
			.userMetadata(head.metadata())
			.cacheControl(head.cacheControl())
			.contentDisposition(head.contentDisposition())
			.version(head.versionId())
			.build();
	}

	Mono<Void> delete(String path) {
		return Mono.fromFuture(() -> this.client.deleteObject((b) -> b.bucket(this.settings.bucket()).key(key(path))))
			.then()
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.DELETE, path));
	}

	Mono<Void> deleteAll(Flux<String> paths) {
		return paths.buffer(DELETE_BATCH).concatMap(this::deleteBatch).then();
	}

	private Mono<Void> deleteBatch(List<String> paths) {
		List<ObjectIdentifier> keys = paths.stream().map((p) -> ObjectIdentifier.builder().key(key(p)).build()).toList();
		return Mono
			.fromFuture(() -> this.client.deleteObjects((b) -> b.bucket(this.settings.bucket())
				.delete(Delete.builder().objects(keys).quiet(true).build())))
			.flatMap((DeleteObjectsResponse response) -> {
				if (response.hasErrors() && !response.errors().isEmpty()) {
					var first = response.errors().get(0);
					return Mono.error(new StorageException(ErrorKind.UNEXPECTED,
							response.errors().size() + " of " + paths.size() + " deletions failed, the first for "
									+ first.key() + ": " + first.code() + " " + first.message()));
				}
				return Mono.<Void>empty();
			})
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.DELETE_ALL, paths.get(0)));
	}

	// ---------------------------------------------------------------- list

	Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return S3Lister.list(this.client, this.settings, prefix, options)
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- copy, rename

	Mono<Void> copy(String source, String target) {
		return this.writer.copy(key(source), key(target))
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.COPY, source));
	}

	Mono<Void> rename(String source, String target) {
		return this.writer.copy(key(source), key(target))
			.then(Mono.defer(() -> Mono.fromFuture(
					() -> this.client.deleteObject((b) -> b.bucket(this.settings.bucket()).key(key(source))))))
			.then()
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.RENAME, source));
	}

	// ---------------------------------------------------------------- presign

	Mono<URI> presignRead(String path, Duration expiresIn) {
		return presign(path, () -> this.presigner
			.presignGetObject((b) -> b.signatureDuration(expiresIn)
				.getObjectRequest((r) -> r.bucket(this.settings.bucket()).key(key(path))))
			.url(), Operation.PRESIGN_READ);
	}

	Mono<URI> presignWrite(String path, Duration expiresIn) {
		return presign(path, () -> this.presigner
			.presignPutObject((b) -> b.signatureDuration(expiresIn)
				.putObjectRequest((r) -> r.bucket(this.settings.bucket()).key(key(path))))
			.url(), Operation.PRESIGN_WRITE);
	}

	private Mono<URI> presign(String path, Supplier<java.net.URL> url, Operation operation) {
		return Mono.fromCallable(() -> url.get().toURI()).onErrorMap((ex) -> S3Errors.map(ex, operation, path));
	}

	private String key(String path) {
		return this.settings.prefix() + path;
	}

}
