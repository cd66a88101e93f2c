package dev.objectstorage.fs;

import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.Ranges;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.Contents;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The reading side of the fs backend: opening a file for a read, its metadata (stat) and the stored
 * metadata of files, with their cache.
 */
final class FsReader {

	/** The size of the views a mapped read emits, unless the read asks for another. */
	private static final int MAPPED_BUFFER_SIZE = 1024 * 1024;

	private final FsSettings settings;

	private final FsRoot root;

	private final DataBufferFactory bufferFactory;

	private final boolean xattrs;

	private final FsOffload offload;

	FsReader(FsSettings settings, FsRoot root, DataBufferFactory bufferFactory, boolean xattrs, FsOffload offload) {
		this.settings = settings;
		this.root = root;
		this.bufferFactory = bufferFactory;
		this.xattrs = xattrs;
		this.offload = offload;
	}

	boolean xattrs() {
		return this.xattrs;
	}

	Mono<ObjectContent> open(String path, ReadOptions options) {
		return this.offload.open(Mono.fromCallable(() -> openForRead(path, options)))
			.onErrorMap((ex) -> FsErrors.map(ex, Operation.READ, path))
			.doOnDiscard(ObjectContent.class, ObjectContent::release);
	}

	/** How often an open is tried again when the file was replaced while it was being opened. */
	private static final int OPEN_ATTEMPTS = 8;

	private ObjectContent openForRead(String path, ReadOptions options) throws IOException {
		for (int attempt = 1;; attempt++) {
			ObjectContent content = tryOpen(path, options);
			if (content != null) {
				return content;
			}
			if (attempt == OPEN_ATTEMPTS) {
				throw new StorageException(ErrorKind.UNEXPECTED, "The object kept changing while it was opened",
						Operation.READ, path, null, true, null);
			}
		}
	}

	/**
	 * Opens the file and reads the metadata of the very file opened: the attributes before and after
	 * the open (and the stored metadata between) must name the same file, else the file was replaced
	 * meanwhile and this returns {@code null} to try again. An overwrite after this point replaces the
	 * path, not the open file, so the content stays that version.
	 */
	private @Nullable ObjectContent tryOpen(String path, ReadOptions options) throws IOException {
		Path file = this.root.resolve(path);
		this.root.checkDirectoryInside(file.getParent());
		BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		if (before.isSymbolicLink()) {
			file = this.root.realInside(file); // a link: follow it only if it stays inside the root
			before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		if (!before.isRegularFile()) {
			throw StorageException.notFound(Operation.READ, path);
		}
		FileChannel channel;
		try {
			// refusing to follow a link in the last step keeps the file inside the root
			channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null; // deleted or being replaced: look again
		}
		catch (IOException ex) {
			if (Files.isSymbolicLink(file)) {
				return null; // ELOOP: replaced by a link meanwhile
			}
			throw ex;
		}
		try {
			FsMetadata.Stored stored = storedMetadata(file, before);
			BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			long size = channel.size();
			if (!Objects.equals(before.fileKey(), after.fileKey()) || !after.isRegularFile()
					|| !before.lastModifiedTime().equals(after.lastModifiedTime()) || size != after.size()) {
				channel.close();
				return null;
			}
			ObjectMetadata metadata = metadata(path, after, stored);
			if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), metadata.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifMatch");
			}
			if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), metadata.etag())) {
				throw StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch");
			}
			long offset = options.offset();
			long length = Ranges.length(path, options, size);
			Flux<DataBuffer> body = this.offload
				.offload(Flux.using(() -> reader(channel, offset, length, options), FileReader::flux, FileReader::close))
				.onErrorMap((ex) -> FsErrors.map(ex, Operation.READ, path));
			return Contents.file(metadata, (size == 0) ? 0 : offset, length, channel, body);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	private FileReader reader(FileChannel channel, long offset, long length, ReadOptions options) throws IOException {
		long threshold = this.settings.mmapThreshold();
		if (threshold > 0 && length >= threshold && length <= Integer.MAX_VALUE) {
			// one copy less: the subscriber reads straight from the page cache through the mapping
			MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
			channel.close();
			return new FileReader(mapped, options.bufferSizeOr(MAPPED_BUFFER_SIZE), this.bufferFactory);
		}
		return new FileReader(channel, offset, length, options.bufferSizeOr(this.settings.bufferSize()),
				this.bufferFactory);
	}

	/**
	 * Reads a file range in buffers sized to what is left, so that a small object costs one small
	 * buffer (Spring's {@code DataBufferUtils.readByteChannel} always allocates full-size buffers and
	 * cannot stop at a range's end without splitting one).
	 */
	private static final class FileReader implements java.util.function.Consumer<SynchronousSink<DataBuffer>> {

		private final @Nullable FileChannel channel;

		private final @Nullable MappedByteBuffer mapped;

		private long position;

		private long remaining;

		private final int bufferSize;

		private final DataBufferFactory factory;

		FileReader(FileChannel channel, long position, long remaining, int bufferSize, DataBufferFactory factory) {
			this.channel = channel;
			this.mapped = null;
			this.position = position;
			this.remaining = remaining;
			this.bufferSize = bufferSize;
			this.factory = factory;
		}

		FileReader(MappedByteBuffer mapped, int bufferSize, DataBufferFactory factory) {
			this.channel = null;
			this.mapped = mapped;
			this.position = 0;
			this.remaining = mapped.capacity();
			this.bufferSize = bufferSize;
			this.factory = factory;
		}

		Flux<DataBuffer> flux() {
			return Flux.generate(this);
		}

		@Override
		public void accept(SynchronousSink<DataBuffer> sink) {
			int n = (int) Math.min(this.bufferSize, this.remaining);
			if (n == 0) {
				sink.complete();
				return;
			}
			if (this.mapped != null) {
				sink.next(this.factory.wrap(this.mapped.slice((int) this.position, n)));
				this.position += n;
				this.remaining -= n;
				return;
			}
			DataBuffer buffer = this.factory.allocateBuffer(n);
			try {
				int total = 0;
				try (DataBuffer.ByteBufferIterator it = buffer.writableByteBuffers()) {
					while (total < n && it.hasNext()) {
						ByteBuffer target = it.next();
						if (target.remaining() > n - total) {
							target.limit(target.position() + (n - total));
						}
						while (target.hasRemaining()) {
							int read = this.channel.read(target, this.position + total);
							if (read < 0) {
								throw new IOException("The file ended early: it was changed outside the storage");
							}
							total += read;
						}
					}
				}
				buffer.writePosition(buffer.writePosition() + total);
				this.position += total;
				this.remaining -= total;
				sink.next(buffer);
			}
			catch (IOException | RuntimeException ex) {
				DataBufferUtils.release(buffer);
				sink.error(ex);
			}
		}

		void close() {
			if (this.channel == null) {
				return; // mapped: the channel is closed, the mapping goes with the garbage collector
			}
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// nothing was written: a failed close of a read channel loses nothing
			}
		}

	}

	Mono<ObjectMetadata> stat(String path) {
		return this.offload
			.open(Mono.fromCallable(() -> statFile(path, this.root.realInside(this.root.resolve(path)))))
			.onErrorMap((ex) -> FsErrors.map(ex, Operation.STAT, path));
	}

	ObjectMetadata statFile(String path, Path file) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		if (!attributes.isRegularFile()) {
			throw StorageException.notFound(Operation.STAT, path);
		}
		return metadata(path, attributes, storedMetadata(file, attributes));
	}

	/**
	 * The stored metadata of a file, from a cache keyed by the file's identity, modification time and
	 * size: reading the extended attribute costs about 5 us (the JDK opens the file for it), more than
	 * the rest of opening a small file. The backend never changes the attribute of a published file (a
	 * write or copy sets it on a new file, then moves that into place, so a new version is a new file),
	 * so an entry can only go stale if the same file keeps its modification time and size while another
	 * program rewrites the attribute.
	 */
	FsMetadata.Stored storedMetadata(Path file, BasicFileAttributes attributes) throws IOException {
		if (!this.xattrs) {
			return FsMetadata.NONE;
		}
		Object fileKey = attributes.fileKey();
		if (fileKey == null) {
			return FsMetadata.read(file);
		}
		MetadataKey key = new MetadataKey(fileKey, attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
				attributes.size());
		FsMetadata.Stored cached = this.metadataCache.get(key);
		if (cached != null) {
			return cached;
		}
		FsMetadata.Stored stored = FsMetadata.read(file);
		if (this.metadataCache.size() >= METADATA_CACHE_SIZE) {
			this.metadataCache.clear(); // bounded: simpler than LRU, and a miss costs one attribute read
		}
		this.metadataCache.put(key, stored);
		return stored;
	}

	private record MetadataKey(Object fileKey, long modifiedNanos, long size) {
	}

	private static final int METADATA_CACHE_SIZE = 10_000;

	private final ConcurrentHashMap<MetadataKey, FsMetadata.Stored> metadataCache = new ConcurrentHashMap<>();

	static ObjectMetadata metadata(String path, BasicFileAttributes attributes, FsMetadata.Stored stored) {
		return ObjectMetadata.builder(path, attributes.size(), etag(attributes, stored))
			.lastModified(attributes.lastModifiedTime().toInstant())
			.contentType(stored.contentType())
			.userMetadata(stored.userMetadata())
			.cacheControl(stored.cacheControl())
			.contentDisposition(stored.contentDisposition())
			.build();
	}

	static String etag(BasicFileAttributes attributes, FsMetadata.Stored stored) {
		String unique = (stored.tag() != null) ? stored.tag()
				: Integer.toHexString(Objects.hashCode(attributes.fileKey()));
		return "\"" + Long.toHexString(attributes.size()) + "-"
				+ Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)) + "-" + unique + "\"";
	}

}
