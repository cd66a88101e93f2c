package dev.objectstorage.s3;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A backend for AWS S3 and S3-compatible services (MinIO, Ceph RGW, Cloudflare R2, ...) on the AWS
 * SDK for Java v2 {@link S3AsyncClient}.
 * <ul>
 * <li>Reads stream the response body: each {@link ByteBuffer} the SDK delivers is wrapped as a
 * {@link DataBuffer}, not copied; ranges and conditions become {@code Range}, {@code If-Match} and
 * {@code If-None-Match} headers (see {@link S3Reader}).</li>
 * <li>Writes up to {@code partSize * partsInFlight} bytes are one {@code PutObject}; larger ones a
 * multipart upload with a bounded number of parts in flight, aborted when the write fails or is
 * cancelled (see {@link S3Writer}). Checksums follow {@link S3Settings#checksums()}.</li>
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
 * SDK's {@link S3Presigner} (see {@link S3Operations}).</li>
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

	private final S3Settings settings;

	private final S3AsyncClient client;

	private final boolean ownsClient;

	private final S3Presigner presigner;

	private final DataBufferFactory bufferFactory;

	private final S3Writer writer;

	private final S3Reader reader;

	private final S3Operations operations;

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
		this.presigner = S3Clients.createPresigner(settings);
		this.writer = new S3Writer(this.client, settings);
		this.reader = new S3Reader(this.client, settings, bufferFactory, this::stat);
		this.operations = new S3Operations(this.client, settings, this.writer, this.presigner);
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
		return S3Clients.clientBuilder(settings);
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
		return this.reader.open(path, options);
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
		return this.operations.check();
	}

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return this.operations.stat(path);
	}

	@Override
	public Mono<Void> delete(String path) {
		return this.operations.delete(path);
	}

	@Override
	public Mono<Void> deleteAll(Flux<String> paths) {
		return this.operations.deleteAll(paths);
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return this.operations.list(prefix, options);
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return this.operations.copy(source, target);
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return this.operations.rename(source, target);
	}

	// ---------------------------------------------------------------- presign

	@Override
	public Mono<URI> presignRead(String path, Duration expiresIn) {
		return this.operations.presignRead(path, expiresIn);
	}

	@Override
	public Mono<URI> presignWrite(String path, Duration expiresIn) {
		return this.operations.presignWrite(path, expiresIn);
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