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
 * The content is copied, as it arrives, into a first chunk of up to
 * {@link AzureBlobSettings#maxSingleUploadSize()} bytes and then into blocks of
 * {@link AzureBlobSettings#blockSize()} bytes; each incoming buffer is released as soon as it is
 * copied, so every byte is copied once. If the content ends within the first chunk, it is sent with
 * one {@code Put Blob}. Otherwise the first chunk is cut (without copying) into blocks, every block
 * is staged with {@code Put Block} under an ID unique to this upload, at most
 * {@link AzureBlobSettings#blocksInFlight()} at a time, and {@code Put Block List} commits them.
 * Both requests are atomic: readers see the old blob or the whole new one. A write that fails or is
 * cancelled commits nothing; its staged blocks stay uncommitted, invisible, and Azure discards them
 * after a week (or when another upload of the same blob commits).
 * <p>
 * Hand-written because the SDK's {@code upload} with {@code ParallelTransferOptions} buffers
 * {@code ByteBuffer}s it does not own in its own way, with no way to release a
 * {@link DataBuffer} once its bytes are safe; conditions, headers and metadata go on the request
 * that makes the blob visible (the {@code Put Blob} or the commit).
 */
final class AzureBlobWriter {

	private final AzureBlobSettings settings;

	AzureBlobWriter(AzureBlobSettings settings) {
		this.settings = settings;
	}

	Mono<ObjectMetadata> write(String path, BlockBlobAsyncClient blob, Flux<DataBuffer> content,
			WriteOptions options) {
		return ContentChunks.cut(content, (int) this.settings.maxSingleUploadSize(), (int) this.settings.blockSize(),
				options.contentLength())
			.switchOnFirst((signal, chunks) -> {
				if (!signal.hasValue()) {
					return chunks.then(Mono.empty()); // the content failed before the first chunk: let it error
				}
				Chunk chunk = signal.get();
				if (chunk.last()) {
					return chunks.then(putBlob(path, blob, chunk, options));
				}
				return stageAndCommit(path, blob, chunks, options);
			}, false)
			.single();
	}

	// ---------------------------------------------------------------- one request

	private Mono<ObjectMetadata> putBlob(String path, BlockBlobAsyncClient blob, Chunk chunk, WriteOptions options) {
		BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(data(chunk, 0, chunk.size()))
			.setHeaders(headers(options))
			.setMetadata(MetadataNames.encode(options.userMetadata()))
			.setRequestConditions(conditions(options));
		return Mono.defer(() -> blob.uploadWithResponse(upload))
			.map((response) -> metadata(path, chunk.size(), response.getValue(), options))
			.onErrorMap((ex) -> conditionalNotFound(ex, options, path));
	}

	// ---------------------------------------------------------------- blocks

	private Mono<ObjectMetadata> stageAndCommit(String path, BlockBlobAsyncClient blob, Flux<Chunk> chunks,
			WriteOptions options) {
		// IDs unique to this upload: a concurrent upload of the same blob stages its own blocks
		String upload = UUID.randomUUID().toString();
		long[] size = new long[1];
		int[] count = new int[1];
		return chunks.concatMapIterable((chunk) -> blocks(chunk, this.settings.blockSize()), 1)
			.map((block) -> {
				size[0] += block.getLength();
				return new Block(blockId(upload, count[0]++), block);
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

	/**
	 * A read-only view of some of a chunk's bytes (not a copy), which the SDK can send again on a
	 * retry.
	 */
	private static BinaryData data(Chunk chunk, int offset, int length) {
		return BinaryData.fromByteBuffer(ByteBuffer.wrap(chunk.bytes(), offset, length).slice().asReadOnlyBuffer());
	}

	/**
	 * A chunk cut into views of at most {@code blockSize} bytes: the first chunk, of up to
	 * {@code maxSingleUploadSize} bytes, may hold several blocks.
	 */
	private static List<BinaryData> blocks(Chunk chunk, long blockSize) {
		if (chunk.size() <= blockSize) {
			return List.of(data(chunk, 0, chunk.size()));
		}
		List<BinaryData> blocks = new ArrayList<>();
		for (int offset = 0; offset < chunk.size(); offset += (int) blockSize) {
			blocks.add(data(chunk, offset, (int) Math.min(blockSize, chunk.size() - offset)));
		}
		return blocks;
	}

}
