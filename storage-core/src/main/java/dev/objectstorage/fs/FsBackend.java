package dev.objectstorage.fs;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

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
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A backend that keeps objects as files under a root directory.
 * <ul>
 * <li>Reads stream the file in buffers of {@link FsSettings#bufferSize()} as the subscriber asks,
 * on Reactor's bounded-elastic scheduler (file I/O blocks).</li>
 * <li>Writes go to a temporary file ({@code .os-tmp-*}) in the target's directory, which is moved
 * into place atomically when the content completes; a failed or cancelled write deletes it. Such
 * files never show in listings.</li>
 * <li>Content type, cache control, content disposition and user metadata are kept in a user
 * extended attribute of the file (see {@link FsMetadata}); where the filesystem has none, the
 * capabilities say so and such writes fail with {@code UNSUPPORTED}.</li>
 * <li>Entity tags derive from size, modification time and a random tag stored per write.</li>
 * <li>Nothing outside the root is touched: paths are normalised before they get here, and every
 * path is checked after symbolic links are resolved.</li>
 * <li>Deletes remove the directories they leave empty; empty directories are not listed.</li>
 * <li>Conditional writes are atomic: {@code ifNotExists} publishes with a hard link, which fails if
 * the target exists; {@code ifMatch} checks and moves under a lock (shared by every backend of this
 * JVM, not with other processes).</li>
 * </ul>
 * A filesystem cannot hold an object {@code a} and an object {@code a/b} at once: such a write
 * fails with {@code ALREADY_EXISTS}.
 * <p>
 * This class wires the parts: {@code FsRoot} (the root and its jail), {@code FsOffload} (where file
 * I/O runs), {@code FsReader} (open, stat, stored metadata), {@code FsWriter} and {@code FsTempFile}
 * (writes and their temporary files) and {@code FsLister} (listings).
 */
public class FsBackend implements StorageBackend {

	static final String TEMP_PREFIX = FsTempFile.TEMP_PREFIX;

	private final FsSettings settings;

	private final FsRoot root;

	private final DataBufferFactory bufferFactory;

	private final boolean xattrs;

	private final Capabilities capabilities;

	private final FsOffload offload;

	private final FsReader reader;

	private final FsWriter writer;

	/**
	 * A backend with Spring's default (heap) buffer factory.
	 * @param settings the settings
	 */
	public FsBackend(FsSettings settings) {
		this(settings, DefaultDataBufferFactory.sharedInstance);
	}

	/**
	 * A backend that allocates read buffers with the given factory.
	 * @param settings the settings
	 * @param bufferFactory the factory
	 * @throws StorageException of kind {@link ErrorKind#CONFIG_INVALID} if the root is not a usable directory
	 */
	public FsBackend(FsSettings settings, DataBufferFactory bufferFactory) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
		this.root = new FsRoot(settings);
		this.offload = new FsOffload(settings.openOnEventLoop());
		this.xattrs = FsMetadata.isSupported(this.root.path());
		this.capabilities = Capabilities.full()
			.writeWithContentType(this.xattrs)
			.writeWithUserMetadata(this.xattrs)
			.writeWithCacheControl(this.xattrs)
			.writeWithContentDisposition(this.xattrs)
			.build();
		this.reader = new FsReader(settings, this.root, bufferFactory, this.xattrs, this.offload);
		this.writer = new FsWriter(settings, this.root, this.xattrs, this.reader, this.offload);
		if (!settings.tempMaxAge().isZero()) {
			this.offload.scheduler().schedule(() -> sweepTemporaryFiles(settings.tempMaxAge()));
		}
	}

	/**
	 * Deletes the temporary files that writes of a process which died mid-write left behind (see
	 * {@link FsTempFile#sweep(Path, Duration)}).
	 * @param maxAge the age from which a temporary file is a leftover
	 * @return how many files were deleted
	 */
	int sweepTemporaryFiles(Duration maxAge) {
		return FsTempFile.sweep(this.root.path(), maxAge);
	}

	/**
	 * The root directory, with symbolic links resolved.
	 * @return the root
	 */
	public Path root() {
		return this.root.path();
	}

	@Override
	public String scheme() {
		return "fs";
	}

	@Override
	public String location() {
		return this.root.path().toUri().toString();
	}

	@Override
	public Capabilities capabilities() {
		return this.capabilities;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	// ---------------------------------------------------------------- read

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return this.reader.open(path, options);
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return this.writer.write(path, content, options);
	}

	// ---------------------------------------------------------------- check

	/** The root is still a directory the process may read and write. */
	@Override
	public Mono<Void> check() {
		return this.offload.offload(Mono.<Void>fromCallable(() -> {
			Path root = this.root.path();
			if (!Files.isDirectory(root)) {
				throw new StorageException(ErrorKind.CONFIG_INVALID, "The root directory " + root + " is gone");
			}
			if (!Files.isReadable(root) || !Files.isWritable(root)) {
				throw new StorageException(ErrorKind.PERMISSION_DENIED,
						"The process may not read and write the root directory " + root);
			}
			return null;
		}));
	}

	// ---------------------------------------------------------------- stat, delete

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return this.reader.stat(path);
	}

	@Override
	public Mono<Void> delete(String path) {
		return Mono.<Void>fromCallable(() -> {
			Path file = this.root.resolve(path);
			this.root.checkInside(file.getParent());
			if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
				return null; // a directory is not an object: nothing to delete
			}
			if (Files.deleteIfExists(file)) {
				this.root.pruneEmptyDirectories(file.getParent());
			}
			return null;
		}).transform(this.offload::offload).onErrorMap((ex) -> FsErrors.map(ex, Operation.DELETE, path));
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return this.offload.offload(new FsLister(this.root, this.reader).list(prefix, options))
			.onErrorMap((ex) -> FsErrors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return Mono.<Void>fromCallable(() -> {
			Path from = this.root.realInside(this.root.resolve(source));
			if (!Files.isRegularFile(from)) {
				throw StorageException.notFound(Operation.COPY, source);
			}
			FsMetadata.Stored stored = this.xattrs ? FsMetadata.read(from) : FsMetadata.NONE;
			Path to = this.root.resolve(target);
			FsTempFile temp = FsTempFile.create(this.root, to);
			try {
				temp.channel.close();
				Files.copy(from, temp.path, StandardCopyOption.REPLACE_EXISTING);
				if (this.xattrs) {
					FsMetadata.write(temp.path, stored.withTag(FsWriter.newTag()));
				}
				if (this.settings.fsync()) {
					try (FileChannel channel = FileChannel.open(temp.path, StandardOpenOption.WRITE)) {
						channel.force(true);
					}
				}
				ReentrantLock lock = FsWriter.lockFor(to);
				lock.lock();
				try {
					if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
						throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + target);
					}
					FsWriter.move(temp.path, to);
					temp.published = true;
				}
				finally {
					lock.unlock();
				}
			}
			finally {
				temp.cleanUpNow();
			}
			return null;
		}).transform(this.offload::offload).onErrorMap((ex) -> FsErrors.map(ex, Operation.COPY, source));
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return Mono.<Void>fromCallable(() -> {
			Path from = this.root.resolve(source);
			if (!Files.isRegularFile(this.root.realInside(from))) {
				throw StorageException.notFound(Operation.RENAME, source);
			}
			Path to = this.root.resolve(target);
			this.root.createDirectories(to.getParent());
			ReentrantLock lock = FsWriter.lockFor(to);
			lock.lock();
			try {
				if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
					throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + target);
				}
				FsWriter.move(from, to);
			}
			finally {
				lock.unlock();
			}
			this.root.pruneEmptyDirectories(from.getParent());
			return null;
		}).transform(this.offload::offload).onErrorMap((ex) -> FsErrors.map(ex, Operation.RENAME, source));
	}

	boolean xattrs() {
		return this.xattrs;
	}

}
