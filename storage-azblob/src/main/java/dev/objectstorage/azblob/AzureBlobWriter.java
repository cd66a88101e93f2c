package dev.objectstorage.azblob;

import dev.objectstorage.spi.Etags;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobAsyncClient;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.ContentChunks;
import dev.objectstorage.spi.ContentChunks.Chunk;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Streams writes to a block blob in bounded memory.
 * <p>
 * The content is copied, as it arrives, into chunks of {@link AzureBlobSettings#blockSize()} bytes
 * ({@link ContentChunks#cut}); each incoming buffer is released as soon as it is copied, so every
 * byte is copied once (while the content's length is unknown, the first chunk is made of arrays of
 * growing size, not one array copied as it grows). The first chunks are collected until the content
 * ends or they reach {@link AzureBlobSettings#maxSingleUploadSize()} bytes (by default
 * {@code blockSize * blocksInFlight}, 32 MiB; {@link ContentChunks#wholeOrParts}). A content that
 * ended within that size is sent with one {@code Put Blob} of its exact length, the chunks handed to
 * the SDK as views (not copies). Otherwise every chunk,
 * the collected ones first, is staged as a block with {@code Put Block} under an ID unique to this
 * upload, at most {@link AzureBlobSettings#blocksInFlight()} at a time, and {@code Put Block List}
 * commits them. Both requests are atomic: readers see the old blob or the whole new one. The
 * {@code Put Blob} is only sent once the content has ended, so a content that fails or is cancelled
 * before its end sends nothing; a {@code Put Blob} that fails or is cancelled midway leaves no blob
 * (Azure stores a blob only when the whole declared length arrived). A block upload that fails or is
 * cancelled commits nothing; its staged blocks stay uncommitted, invisible, and Azure discards them
 * after a week (or when another upload of the same blob commits).
 * <p>
 * Hand-written because the SDK's {@code upload} with {@code ParallelTransferOptions} buffers
 * {@code ByteBuffer}s it does not own in its own way, with no way to release a
 * {@link DataBuffer} once its bytes are safe; conditions, headers and metadata go on the request
 * that makes the blob visible (the {@code Put Blob} or the commit). No checksum is sent by either
 * request (the SDK adds none unless asked).
 */
final class AzureBlobWriter {

	private final AzureBlobSettings settings;

	AzureBlobWriter(AzureBlobSettings settings) {
		this.settings = settings;
	}

	Mono<ObjectMetadata> write(String path, BlockBlobAsyncClient blob, Flux<DataBuffer> content,
			WriteOptions options) {
		int blockSize = (int) this.settings.blockSize();
		Flux<Chunk> chunks = ContentChunks.cut(content, blockSize, blockSize, options.contentLength());
		return ContentChunks.wholeOrParts(chunks, this.settings.maxSingleUploadSize(),
				(held) -> putBlob(path, blob, held, options), (all) -> stageAndCommit(path, blob, all, options));
	}

	// ---------------------------------------------------------------- one request

	private Mono<ObjectMetadata> putBlob(String path, BlockBlobAsyncClient blob, List<Chunk> chunks,
			WriteOptions options) {
		long size = ContentChunks.size(chunks);
		BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(data(chunks))
			.setHeaders(headers(options))
			.setMetadata(MetadataNames.encode(options.userMetadata()))
			.setRequestConditions(conditions(options));
		return Mono.defer(() -> blob.uploadWithResponse(upload))
			.map((response) -> metadata(path, size, response.getValue(), options))
			.onErrorMap((ex) -> conditionalNotFound(ex, options, path));
	}

	/**
	 * The collected chunks as the body of one request, without copying: the array itself where a
	 * single chunk fills it (as a caller of the SDK with a {@code byte[]} would pass it), otherwise
	 * read-only views, which the SDK can send again on a retry.
	 */
	private static BinaryData data(List<Chunk> chunks) {
		byte[] array = (chunks.size() == 1) ? chunks.get(0).wholeArray() : null;
		if (array != null) {
			return BinaryData.fromBytes(array);
		}
		List<ByteBuffer> views = new ArrayList<>();
		for (Chunk chunk : chunks) {
			views.addAll(views(chunk));
		}
		return fromViews(views);
	}

	// ---------------------------------------------------------------- blocks

	private Mono<ObjectMetadata> stageAndCommit(String path, BlockBlobAsyncClient blob, Flux<Chunk> chunks,
			WriteOptions options) {
		// IDs unique to this upload: a concurrent upload of the same blob stages its own blocks
		String upload = UUID.randomUUID().toString();
		long[] size = new long[1];
		int[] count = new int[1];
		return chunks.map((chunk) -> {
			size[0] += chunk.size();
			return new Block(blockId(upload, count[0]++), data(chunk));
		})
			.flatMapSequential((block) -> blob
				.stageBlockWithResponse(new BlockBlobStageBlockOptions(block.id, block.data))
				.thenReturn(block.id), this.settings.blocksInFlight(), 1)
			.collectList()
			.flatMap((ids) -> blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
				.setHeaders(headers(options))
				.setMetadata(MetadataNames.encode(options.userMetadata()))
				.setRequestConditions(conditions(options))))
			.map((response) -> metadata(path, size[0], response.getValue(), options))
			.onErrorMap((ex) -> conditionalNotFound(ex, options, path));
	}

	/** Block IDs are base64 of strings of the same length (at most 64 bytes) for the whole blob. */
	static String blockId(String upload, int number) {
		String id = upload + "-" + String.format("%06d", number);
		return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
	}

	// ---------------------------------------------------------------- helpers

	private static @Nullable BlobHttpHeaders headers(WriteOptions options) {
		if (options.contentType() == null && options.cacheControl() == null && options.contentDisposition() == null) {
			return null;
		}
		return new BlobHttpHeaders().setContentType(options.contentType())
			.setCacheControl(options.cacheControl())
			.setContentDisposition(options.contentDisposition());
	}

	private static @Nullable BlobRequestConditions conditions(WriteOptions options) {
		if (options.ifNotExists()) {
			return new BlobRequestConditions().setIfNoneMatch("*");
		}
		if (options.ifMatch() != null) {
			return new BlobRequestConditions().setIfMatch(Etags.quote(options.ifMatch()));
		}
		return null;
	}

	/** A conditional write on a missing blob: Azure says 404, this library says the condition failed. */
	private static Throwable conditionalNotFound(Throwable ex, WriteOptions options, String path) {
		if (options.ifMatch() != null && AzureBlobErrors.isBlobNotFound(ex)) {
			return StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object");
		}
		return ex;
	}

	private static ObjectMetadata metadata(String path, long size, BlockBlobItem item, WriteOptions options) {
		return ObjectMetadata.builder(path, size, Etags.quote(item.getETag()))
			.lastModified((item.getLastModified() != null) ? item.getLastModified().toInstant() : null)
			.attributesOf(options)
			.version(item.getVersionId())
			.build();
	}

	/** A block to stage: its ID and its bytes (a view of a chunk, not a copy). */
	private record Block(String id, BinaryData data) {
	}

	/** A chunk's bytes as read-only views (not copies), which the SDK can send again on a retry. */
	private static BinaryData data(Chunk chunk) {
		return fromViews(views(chunk));
	}

	private static BinaryData fromViews(List<ByteBuffer> views) {
		return (views.size() == 1) ? BinaryData.fromByteBuffer(views.get(0)) : BinaryData.fromListByteBuffer(views);
	}

	private static List<ByteBuffer> views(Chunk chunk) {
		List<ByteBuffer> views = chunk.byteBuffers();
		views.replaceAll(ByteBuffer::asReadOnlyBuffer);
		return views;
	}

}
