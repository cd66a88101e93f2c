package dev.objectstorage.azblob;

import dev.objectstorage.spi.Etags;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;

import com.azure.core.util.polling.AsyncPollResponse;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobDownloadAsyncResponse;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
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

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A backend for Azure Blob Storage (and Azurite) on the Azure SDK's reactive
 * {@link BlobContainerAsyncClient}. Objects are block blobs in one container, under
 * {@link AzureBlobSettings#prefix()}.
 * <ul>
 * <li>Reads stream {@code Get Blob}: each {@code ByteBuffer} the SDK delivers (its own copy of the
 * network bytes) is wrapped as a {@link DataBuffer}, not copied; ranges and conditions become
 * {@code x-ms-range}, {@code If-Match} and {@code If-None-Match}. A download broken midway resumes
 * where it stopped, on the same version ({@link AzureBlobSettings#sdkMaxAttempts()}).</li>
 * <li>Writes are one {@code Put Blob}, or blocks staged a few at a time and committed with
 * {@code Put Block List} (see {@link AzureBlobWriter}); both are atomic. User metadata keys are
 * encoded into valid Azure metadata names (see {@link MetadataNames}).</li>
 * <li>Listings page lazily with {@code List Blobs} (see {@link AzureBlobLister}); copy is a
 * server-side {@code Copy Blob} that keeps properties and metadata; rename is copy then delete (not
 * atomic: a failure between the two leaves both objects).</li>
 * </ul>
 */
public class AzureBlobBackend implements StorageBackend {

	/**
	 * Everything but presigned writes (a SAS URL cannot carry the {@code x-ms-blob-type} header that
	 * {@code Put Blob} needs, so a plain HTTP {@code PUT} to it fails) and batch deletion (the SDK's
	 * Blob Batch requests do not work against Azurite's path-style URLs, so they cannot be tested
	 * here; {@code deleteAll} deletes one by one, eight at a time). Presigned reads (service SAS)
	 * need the account key. Azure drops the dots that end a path segment, so such paths are refused.
	 */
	private static final Capabilities WITH_KEY = Capabilities.full().presignRead(true).segmentsEndingInDot(false).build();

	private static final Capabilities WITHOUT_KEY = Capabilities.full().segmentsEndingInDot(false).build();

	private final AzureBlobSettings settings;

	private final BlobContainerAsyncClient container;

	private final DataBufferFactory bufferFactory;

	private final AzureBlobWriter writer;

	private final Capabilities capabilities;

	/**
	 * A backend with a client built from the settings, and Spring's default buffer factory.
	 * @param settings the settings
	 */
	public AzureBlobBackend(AzureBlobSettings settings) {
		this(settings, null, DefaultDataBufferFactory.sharedInstance);
	}

	/**
	 * A backend on the given container client (the application's, with its own credentials and HTTP
	 * client), or on a client built from the settings when {@code container} is {@code null}. The
	 * settings' container and prefix are then used for names only. Reads wrap the byte buffers the
	 * client delivers without copying them, so a client built on the Netty HTTP client must keep its
	 * default buffer copy ({@code NettyAsyncHttpClientBuilder.disableBufferCopy(false)}): without it
	 * those buffers are views of pooled memory that is reused as soon as they are delivered.
	 * @param settings the settings
	 * @param container the application's container client, or {@code null}
	 * @param bufferFactory the factory that wraps response bytes
	 */
	public AzureBlobBackend(AzureBlobSettings settings, @Nullable BlobContainerAsyncClient container,
			DataBufferFactory bufferFactory) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
		this.container = (container != null) ? container : createClient(settings);
		this.writer = new AzureBlobWriter(settings);
		this.capabilities = settings.hasAccountKey() ? WITH_KEY : WITHOUT_KEY;
	}

	/**
	 * Builds the container client the settings describe: endpoint, credentials, and the SDK's retry
	 * policy with {@link AzureBlobSettings#sdkMaxAttempts()} tries. The HTTP client is the one found on
	 * the class path (Netty by default).
	 * @param settings the settings
	 * @return a new client
	 */
	public static BlobContainerAsyncClient createClient(AzureBlobSettings settings) {
		return clientBuilder(settings).buildAsyncClient();
	}

	/**
	 * A client builder set up as the settings describe, for applications that customise it further.
	 * @param settings the settings
	 * @return the builder
	 */
	public static BlobContainerClientBuilder clientBuilder(AzureBlobSettings settings) {
		BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(settings.container())
			.retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, settings.sdkMaxAttempts(), (Integer) null,
					null, null, null));
		if (settings.connectionString() != null) {
			return builder.connectionString(settings.connectionString());
		}
		String account = Objects.requireNonNull(settings.accountName());
		URI endpoint = (settings.endpoint() != null) ? settings.endpoint()
				: URI.create("https://" + account + ".blob.core.windows.net");
		builder.endpoint(endpoint.toString());
		if (settings.accountKey() != null) {
			builder.credential(new StorageSharedKeyCredential(account, settings.accountKey()));
		}
		else if (settings.sasToken() != null) {
			builder.sasToken(settings.sasToken());
		}
		else {
			builder.setAnonymousAccess();
		}
		return builder;
	}

	/**
	 * The container client the backend uses.
	 * @return the client
	 */
	public BlobContainerAsyncClient client() {
		return this.container;
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public AzureBlobSettings settings() {
		return this.settings;
	}

	@Override
	public String scheme() {
		return "azblob";
	}

	@Override
	public String location() {
		return "azblob://" + this.settings.accountNameForDisplay() + "/" + this.settings.container() + "/"
				+ this.settings.prefix();
	}

	@Override
	public Capabilities capabilities() {
		return this.capabilities;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	String blobName(String path) {
		return this.settings.prefix() + path;
	}

	private BlobAsyncClient blob(String path) {
		return this.container.getBlobAsyncClient(blobName(path));
	}

	// ---------------------------------------------------------------- read

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		BlobRange range = options.hasRange()
				? new BlobRange(options.offset(), (options.length() < 0) ? null : options.length()) : null;
		BlobRequestConditions conditions = null;
		if (options.ifMatch() != null || options.ifNoneMatch() != null) {
			conditions = new BlobRequestConditions()
				.setIfMatch((options.ifMatch() != null) ? Etags.quote(options.ifMatch()) : null)
				.setIfNoneMatch((options.ifNoneMatch() != null) ? Etags.quote(options.ifNoneMatch()) : null);
		}
		BlobRequestConditions requestConditions = conditions;
		// the SDK resumes a broken download itself, pinned to the version it started (If-Match)
		DownloadRetryOptions retry = new DownloadRetryOptions().setMaxRetryRequests(this.settings.sdkMaxAttempts() - 1);
		return Mono.defer(() -> blob(path).downloadStreamWithResponse(range, retry, requestConditions, false))
			.map((response) -> content(path, options, response))
			.onErrorResume((ex) -> range != null && AzureBlobErrors.isStatus(ex, 416), (ex) -> emptyIfEmpty(path, ex))
			.onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.READ, path))
			.doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	/** The content of a download's answer, with the metadata of the version it serves, checked. */
	private ObjectContent content(String path, ReadOptions options, BlobDownloadAsyncResponse response) {
		BlobDownloadHeaders headers = response.getDeserializedHeaders();
		// an empty ByteBuffer would become Netty's shared empty buffer, which cannot be released
		Flux<DataBuffer> body = response.getValue()
			.filter(ByteBuffer::hasRemaining)
			.map(this.bufferFactory::wrap)
			.onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.READ, path))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		ContentRange served = ContentRange.parse(headers.getContentRange());
		Long contentLength = headers.getContentLength();
		String contentRangeHeader = headers.getContentRange();
		long size = (served != null) ? served.size()
				: (contentRangeHeader != null) ? ContentRange.totalSize(contentRangeHeader)
						: (contentLength != null) ? contentLength : -1;
		if (size < 0) {
			Contents.cancel(body);
			throw new StorageException(ErrorKind.UNEXPECTED, "The server answered a download without the blob's size",
					Operation.READ, path, null, false, null);
		}
		OffsetDateTime lastModified = headers.getLastModified();
		ObjectMetadata metadata = ObjectMetadata.builder(path, size, Etags.quote(headers.getETag()))
			.lastModified((lastModified != null) ? lastModified.toInstant() : null)
			.contentType(headers.getContentType())
			.userMetadata(MetadataNames.decode(headers.getMetadata()))
			.cacheControl(headers.getCacheControl())
			.contentDisposition(headers.getContentDisposition())
			.version(headers.getVersionId())
			.build();
		return Contents.answered(path, options, metadata, served != null, (served != null) ? served.start() : 0,
				(served != null) ? served.length() : size, body);
	}

	/** Azure answers 416 to any range of an empty blob, where this library returns no bytes. */
	private Mono<ObjectContent> emptyIfEmpty(String path, Throwable rangeError) {
		return stat(path).flatMap((meta) -> (meta.size() == 0) ? Mono.just(Contents.empty(meta, 0)) : Mono.error(rangeError));
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return this.writer.write(path, blob(path).getBlockBlobAsyncClient(), content, options)
			.onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.WRITE, path));
	}

	// ---------------------------------------------------------------- stat, delete

	/** The container's properties: it exists and the credentials are accepted. */
	@Override
	public Mono<Void> check() {
		return Mono.defer(this.container::getProperties).then().onErrorMap((ex) -> {
			if (AzureBlobErrors.isStatus(ex, 404)) {
				return new StorageException(ErrorKind.CONFIG_INVALID,
						"The container '" + this.settings.container() + "' does not exist", Operation.STAT, null, null,
						false, ex);
			}
			return AzureBlobErrors.map(ex, Operation.STAT, null);
		});
	}

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return Mono.defer(() -> blob(path).getProperties())
			.map((properties) -> metadata(path, properties))
			.onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.STAT, path));
	}

	static ObjectMetadata metadata(String path, BlobProperties properties) {
		OffsetDateTime lastModified = properties.getLastModified();
		return ObjectMetadata.builder(path, properties.getBlobSize(), Etags.quote(properties.getETag()))
			.lastModified((lastModified != null) ? lastModified.toInstant() : null)
			.contentType(properties.getContentType())
			.userMetadata(MetadataNames.decode(properties.getMetadata()))
			.cacheControl(properties.getCacheControl())
			.contentDisposition(properties.getContentDisposition())
			.version(properties.getVersionId())
			.build();
	}

	@Override
	public Mono<Void> delete(String path) {
		return deleteBlob(path).onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.DELETE, path));
	}

	private Mono<Void> deleteBlob(String path) {
		return Mono.defer(() -> blob(path).deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null))
			.then()
			.onErrorResume(AzureBlobErrors::isBlobNotFound, (ex) -> Mono.empty());
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return AzureBlobLister.list(this.container, this.settings.prefix(), prefix, options)
			.onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return copyBlob(source, target).onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.COPY, source));
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return copyBlob(source, target).then(deleteBlob(source))
			.onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.RENAME, source));
	}

	/**
	 * A server-side {@code Copy Blob} of bytes, properties and metadata, waited for: within one
	 * account it usually completes at once; otherwise the copy status is polled.
	 */
	private Mono<Void> copyBlob(String source, String target) {
		return Mono.defer(() -> {
			String sourceUrl = blob(source).getBlobUrl();
			return blob(target).beginCopy(new BlobBeginCopyOptions(sourceUrl).setPollInterval(Duration.ofMillis(200)))
				.last()
				.flatMap((AsyncPollResponse<BlobCopyInfo, Void> last) -> {
					BlobCopyInfo info = last.getValue();
					if (last.getStatus() == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED
							|| (info != null && info.getCopyStatus() == CopyStatusType.SUCCESS)) {
						return Mono.<Void>empty();
					}
					String reason = (info != null) ? info.getCopyStatus() + " " + info.getError() : last.getStatus()
						.toString();
					return Mono.error(new StorageException(ErrorKind.UNEXPECTED,
							"Copy of " + source + " to " + target + " did not complete: " + reason));
				});
		});
	}

	// ---------------------------------------------------------------- presign

	/**
	 * A service SAS for the blob with read permission only, signed with the account key (no request
	 * to the service).
	 */
	@Override
	public Mono<URI> presignRead(String path, Duration expiresIn) {
		return Mono.fromCallable(() -> {
			BlobAsyncClient blob = blob(path);
			BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(OffsetDateTime.now().plus(expiresIn),
					new BlobSasPermission().setReadPermission(true));
			if (blob.getBlobUrl().startsWith("https:")) {
				values.setProtocol(SasProtocol.HTTPS_ONLY); // the URL is a credential: never over plain HTTP
			}
			String sas = blob.generateSas(values);
			return URI.create(blob.getBlobUrl() + "?" + sas);
		}).onErrorMap((ex) -> AzureBlobErrors.map(ex, Operation.PRESIGN_READ, path));
	}

	@Override
	public String toString() {
		return "AzureBlobBackend[" + location() + "]";
	}

}
