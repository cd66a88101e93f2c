package dev.objectstorage.s3;

import dev.objectstorage.spi.Etags;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.function.Supplier;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.ContentRange;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A backend for AWS S3 and S3-compatible services (MinIO, Ceph RGW, Cloudflare R2, ...) on the AWS
 * SDK for Java v2 {@link S3AsyncClient}.
 * <ul>
 * <li>Reads stream the response body: each {@link ByteBuffer} the SDK delivers is wrapped as a
 * {@link DataBuffer}, not copied; ranges and conditions become {@code Range}, {@code If-Match} and
 * {@code If-None-Match} headers.</li>
 * <li>Writes below the part size are one {@code PutObject}; larger ones a multipart upload with a
 * bounded number of parts in flight, aborted when the write fails or is cancelled (see {@link S3Writer}).
 * Checksums follow {@link S3Settings#checksums()}.</li>
 * <li>Conditional writes send {@code If-None-Match: *} and {@code If-Match} on {@code PutObject} and
 * {@code CompleteMultipartUpload}. Since some S3-compatible services ignore them and overwrite, by
 * default ({@link S3Settings.ConditionalWrites#AUTO}) the first conditional write of a backend first
 * probes the server on a temporary key (up to 10 small requests, once per backend; see
 * {@link S3Settings.ConditionalWrites}): where the server does not honour a condition, writes with it
 * fail with {@link ErrorKind#UNSUPPORTED}. The capabilities still say such writes are supported,
 * since they are read before any request; {@link S3Settings.ConditionalWrites#DISABLED} turns them
 * off up front.</li>
 * <li>Listings page lazily with {@code ListObjectsV2}; {@code deleteAll} uses {@code DeleteObjects}
 * in batches of 1000; copy is server-side; rename is copy then delete; presigned URLs come from the
 * SDK's {@link S3Presigner}.</li>
 * </ul>
 * Objects live under {@link S3Settings#prefix()} in the bucket; keys ending in {@code /}
 * (directory markers made by consoles) are not objects here and are not listed.
 */
public class S3Backend implements StorageBackend {

	private static final Capabilities CAPABILITIES = Capabilities.full().deleteBatch(true).presign(true).build();

	private static final Capabilities WITHOUT_CONDITIONAL_WRITES = Capabilities.full()
		.deleteBatch(true)
		.presign(true)
		.writeWithIfNotExists(false)
		.writeWithIfMatch(false)
		.build();

	static final int DELETE_BATCH = 1000;

	private final S3Settings settings;

	private final S3AsyncClient client;

	private final boolean ownsClient;

	private final S3Presigner presigner;

	private final DataBufferFactory bufferFactory;

	private final S3Writer writer;

	/** Whether the server honours conditional writes, found out once ({@code AUTO}); errors are not kept. */
	private final Mono<S3ConditionalWriteProbe.Result> conditionalWrites;

	/**
	 * A backend with a client built from the settings, and Spring's default buffer factory.
	 * @param settings the settings
	 */
	public S3Backend(S3Settings settings) {
		this(settings, null, DefaultDataBufferFactory.sharedInstance);
	}

	/**
	 * A backend on the given client (which the backend does not close), or on a client built from the
	 * settings when {@code client} is {@code null}. The settings' endpoint, region and credentials are
	 * then used for presigned URLs only.
	 * @param settings the settings
	 * @param client the application's client, or {@code null}
	 * @param bufferFactory the factory that wraps response bytes
	 */
	public S3Backend(S3Settings settings, @Nullable S3AsyncClient client, DataBufferFactory bufferFactory) {
		this(settings, (client != null) ? client : createClient(settings), bufferFactory, client == null);
	}

	/**
	 * A backend on the given client.
	 * @param settings the settings
	 * @param client the client
	 * @param bufferFactory the factory that wraps response bytes
	 * @param closeClient whether {@link #close()} closes the client
	 */
	public S3Backend(S3Settings settings, S3AsyncClient client, DataBufferFactory bufferFactory, boolean closeClient) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
		this.ownsClient = closeClient;
		this.client = Objects.requireNonNull(client, "client");
		this.presigner = createPresigner(settings);
		this.writer = new S3Writer(this.client, settings);
		S3ConditionalWriteProbe probe = new S3ConditionalWriteProbe(this.client, settings, this.writer);
		this.conditionalWrites = Mono.defer(probe::run).cacheInvalidateIf((result) -> false);
	}

	/**
	 * Builds the client the settings describe: Netty HTTP client, static or default credentials,
	 * endpoint override and path-style access for S3-compatible services, and the SDK's checksum
	 * calculation and validation as {@link S3Settings#checksums()} says.
	 * @param settings the settings
	 * @return a new client
	 */
	public static S3AsyncClient createClient(S3Settings settings) {
		return clientBuilder(settings).build();
	}

	/**
	 * A client builder set up as the settings describe, for applications that customise it further.
	 * @param settings the settings
	 * @return the builder
	 */
	public static S3AsyncClientBuilder clientBuilder(S3Settings settings) {
		S3AsyncClientBuilder builder = S3AsyncClient.builder()
			.httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(settings.maxConnections()))
			.credentialsProvider(credentials(settings))
			.region(region(settings))
			.forcePathStyle(settings.pathStyleAccess())
			.requestChecksumCalculation(requestChecksums(settings))
			.responseChecksumValidation(responseChecksums(settings))
			.overrideConfiguration((c) -> c.retryStrategy((r) -> r.maxAttempts(settings.sdkMaxAttempts())));
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder;
	}

	private static RequestChecksumCalculation requestChecksums(S3Settings settings) {
		return (settings.checksums() == S3Settings.Checksums.WHEN_REQUIRED) ? RequestChecksumCalculation.WHEN_REQUIRED
				: RequestChecksumCalculation.WHEN_SUPPORTED;
	}

	private static ResponseChecksumValidation responseChecksums(S3Settings settings) {
		return (settings.checksums() == S3Settings.Checksums.WHEN_REQUIRED) ? ResponseChecksumValidation.WHEN_REQUIRED
				: ResponseChecksumValidation.WHEN_SUPPORTED;
	}

	private static S3Presigner createPresigner(S3Settings settings) {
		S3Presigner.Builder builder = S3Presigner.builder()
			.credentialsProvider(credentials(settings))
			.region(region(settings))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build());
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder.build();
	}

	private static AwsCredentialsProvider credentials(S3Settings settings) {
		if (settings.accessKeyId() != null && settings.secretAccessKey() != null) {
			return StaticCredentialsProvider
				.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	private static Region region(S3Settings settings) {
		if (settings.region() != null) {
			return Region.of(settings.region());
		}
		try {
			return new DefaultAwsRegionProviderChain().getRegion();
		}
		catch (RuntimeException ex) {
			if (settings.endpoint() != null) {
				return Region.US_EAST_1; // S3-compatible services mostly ignore the region
			}
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"No region is set for the S3 storage and none is found in the environment: set the region", ex);
		}
	}

	/**
	 * The client the backend uses.
	 * @return the client
	 */
	public S3AsyncClient client() {
		return this.client;
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public S3Settings settings() {
		return this.settings;
	}

	@Override
	public String scheme() {
		return "s3";
	}

	@Override
	public String location() {
		String endpoint = (this.settings.endpoint() != null) ? " at " + this.settings.endpoint() : "";
		return "s3://" + this.settings.bucket() + "/" + this.settings.prefix() + endpoint;
	}

	@Override
	public Capabilities capabilities() {
		return (this.settings.conditionalWrites() == S3Settings.ConditionalWrites.DISABLED)
				? WITHOUT_CONDITIONAL_WRITES : CAPABILITIES;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	String key(String path) {
		return this.settings.prefix() + path;
	}

	// ---------------------------------------------------------------- read

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
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
		return stat(path).flatMap((meta) -> (meta.size() == 0) ? Mono.just(Contents.empty(meta, 0)) : Mono.error(rangeError));
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		Mono<ObjectMetadata> write = this.writer.write(path, key(path), content, options);
		boolean conditional = options.ifNotExists() || options.ifMatch() != null;
		if (conditional) {
			write = checkConditionalWrites(path, options).then(write);
		}
		Mono<ObjectMetadata> mapped = write.onErrorMap((ex) -> S3Errors.map(ex, Operation.WRITE, path));
		return conditional ? mapped.onErrorResume(S3Backend::brokenConnection, (ex) -> conditionFailed(path, options, ex))
				: mapped;
	}

	private static boolean brokenConnection(Throwable ex) {
		return ex instanceof StorageException se && se.kind() == ErrorKind.UNEXPECTED && se.isTemporary();
	}

	/**
	 * A conditional write whose connection broke: some servers (S3Proxy) answer a failed condition as
	 * soon as they have the headers and close the connection while the body is still on its way, so
	 * the client sees a broken upload instead of the 412. The object tells which it was: where the
	 * condition fails against it now, the write fails with CONDITION_NOT_MATCH (in the rare case of a
	 * connection broken after the server stored this very body, the object is the caller's, and a
	 * retry would be refused the same way); otherwise the temporary error stands.
	 */
	private Mono<ObjectMetadata> conditionFailed(String path, WriteOptions options, Throwable error) {
		return stat(path).map(Optional::of)
			.onErrorResume((ex) -> ex instanceof StorageException se && se.kind() == ErrorKind.NOT_FOUND,
					(ex) -> Mono.just(Optional.empty()))
			.flatMap((current) -> {
				boolean failed = (options.ifNotExists() && current.isPresent()) || (options.ifMatch() != null
						&& (current.isEmpty() || !Etags.matches(options.ifMatch(), current.get().etag())));
				return Mono.<ObjectMetadata>error(failed ? StorageException.conditionNotMatch(Operation.WRITE, path,
						(options.ifNotExists() ? "ifNotExists: the object exists" : "ifMatch")) : error);
			})
			.onErrorMap((ex) -> ex != error && !(ex instanceof StorageException se
					&& se.kind() == ErrorKind.CONDITION_NOT_MATCH), (ex) -> error);
	}

	/**
	 * Nothing where the server honours the write's conditions; {@code UNSUPPORTED} where the settings
	 * turn conditional writes off, or where the probe ({@code AUTO}) found that the server ignores them.
	 */
	private Mono<Void> checkConditionalWrites(String path, WriteOptions options) {
		return switch (this.settings.conditionalWrites()) {
			case ENABLED -> Mono.empty();
			case DISABLED -> Mono.error(new StorageException(ErrorKind.UNSUPPORTED,
					"Conditional writes are turned off for " + location() + " (conditionalWrites=DISABLED)",
					Operation.WRITE, path, null, false, null));
			case AUTO -> this.conditionalWrites.flatMap((result) -> result.check(options, path, location()));
		};
	}

	// ---------------------------------------------------------------- stat, delete

	/** {@code HeadBucket}: the bucket exists and the credentials are accepted. */
	@Override
	public Mono<Void> check() {
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

	@Override
	public Mono<ObjectMetadata> stat(String path) {
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

	@Override
	public Mono<Void> delete(String path) {
		return Mono.fromFuture(() -> this.client.deleteObject((b) -> b.bucket(this.settings.bucket()).key(key(path))))
			.then()
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.DELETE, path));
	}

	@Override
	public Mono<Void> deleteAll(Flux<String> paths) {
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

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return S3Lister.list(this.client, this.settings, prefix, options)
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return this.writer.copy(key(source), key(target))
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.COPY, source));
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return this.writer.copy(key(source), key(target))
			.then(Mono.defer(() -> Mono.fromFuture(
					() -> this.client.deleteObject((b) -> b.bucket(this.settings.bucket()).key(key(source))))))
			.then()
			.onErrorMap((ex) -> S3Errors.map(ex, Operation.RENAME, source));
	}

	// ---------------------------------------------------------------- presign

	@Override
	public Mono<URI> presignRead(String path, Duration expiresIn) {
		return presign(path, () -> this.presigner
			.presignGetObject((b) -> b.signatureDuration(expiresIn)
				.getObjectRequest((r) -> r.bucket(this.settings.bucket()).key(key(path))))
			.url(), Operation.PRESIGN_READ);
	}

	@Override
	public Mono<URI> presignWrite(String path, Duration expiresIn) {
		return presign(path, () -> this.presigner
			.presignPutObject((b) -> b.signatureDuration(expiresIn)
				.putObjectRequest((r) -> r.bucket(this.settings.bucket()).key(key(path))))
			.url(), Operation.PRESIGN_WRITE);
	}

	private Mono<URI> presign(String path, Supplier<java.net.URL> url, Operation operation) {
		return Mono.fromCallable(() -> url.get().toURI()).onErrorMap((ex) -> S3Errors.map(ex, operation, path));
	}

	@Override
	public void close() {
		this.presigner.close();
		if (this.ownsClient) {
			this.client.close();
		}
	}

	@Override
	public String toString() {
		return "S3Backend[" + location() + "]";
	}

}
