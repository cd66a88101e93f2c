package dev.objectstorage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.Etags;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.Ranges;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.spi.StripedLocks;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
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
 */
public class FsBackend implements StorageBackend {

	static final String TEMP_PREFIX = ".os-tmp-";

	/** The size of the views a mapped read emits, unless the read asks for another. */
	private static final int MAPPED_BUFFER_SIZE = 1024 * 1024;

	private static final StripedLocks LOCKS = new StripedLocks(64);

	private final FsSettings settings;

	private final Path root;

	private final DataBufferFactory bufferFactory;

	private final boolean xattrs;

	private final Capabilities capabilities;

	private final Scheduler scheduler = Schedulers.boundedElastic();

	/** Directories checked to resolve inside the root, with when the check expires ({@link System#nanoTime()}). */
	private final java.util.concurrent.ConcurrentHashMap<Path, Long> verifiedDirectories = new java.util.concurrent.ConcurrentHashMap<>();

	private static final long VERIFIED_TTL_NANOS = 1_000_000_000L;

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
		this.root = prepareRoot(settings);
		this.xattrs = FsMetadata.isSupported(this.root);
		this.capabilities = Capabilities.full()
			.writeWithContentType(this.xattrs)
			.writeWithUserMetadata(this.xattrs)
			.writeWithCacheControl(this.xattrs)
			.writeWithContentDisposition(this.xattrs)
			.build();
		if (!settings.tempMaxAge().isZero()) {
			this.scheduler.schedule(() -> sweepTemporaryFiles(settings.tempMaxAge()));
		}
	}

	/**
	 * Deletes the temporary files of writes that a process which died mid-write left behind: those
	 * older than {@link FsSettings#tempMaxAge()} (a write in progress touches its file with every
	 * buffer, so only a write stalled that long could lose its file). Names of this form are reserved,
	 * so no object is ever touched. Links are not followed.
	 * @param maxAge the age from which a temporary file is a leftover
	 * @return how many files were deleted
	 */
	int sweepTemporaryFiles(Duration maxAge) {
		long cutoff = System.currentTimeMillis() - maxAge.toMillis();
		int[] deleted = new int[1];
		try {
			Files.walkFileTree(this.root, new SimpleFileVisitor<Path>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					if (attributes.isRegularFile() && isTempName(file.getFileName().toString())
							&& attributes.lastModifiedTime().toMillis() < cutoff && Files.deleteIfExists(file)) {
						deleted[0]++;
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) {
					return FileVisitResult.CONTINUE; // vanished or unreadable: nothing of ours to clean there
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			// best effort: the next start sweeps again
		}
		return deleted[0];
	}

	private static boolean isTempName(String name) {
		if (!name.startsWith(TEMP_PREFIX) || name.length() != TEMP_PREFIX.length() + 16) {
			return false;
		}
		for (int i = TEMP_PREFIX.length(); i < name.length(); i++) {
			if (Character.digit(name.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}

	private static Path prepareRoot(FsSettings settings) {
		Path root = settings.root().toAbsolutePath().normalize();
		try {
			if (!Files.exists(root)) {
				if (!settings.createRoot()) {
					throw new StorageException(ErrorKind.CONFIG_INVALID,
							"The root directory " + root + " does not exist (create it, or allow creating it)");
				}
				Files.createDirectories(root);
			}
			if (!Files.isDirectory(root)) {
				throw new StorageException(ErrorKind.CONFIG_INVALID,
						"The root " + root + " is not a directory (point the root at a directory)");
			}
			return root.toRealPath();
		}
		catch (IOException ex) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "Cannot use " + root + " as root: " + ex, ex);
		}
	}

	/**
	 * The root directory, with symbolic links resolved.
	 * @return the root
	 */
	public Path root() {
		return this.root;
	}

	@Override
	public String scheme() {
		return "fs";
	}

	@Override
	public String location() {
		return this.root.toUri().toString();
	}

	@Override
	public Capabilities capabilities() {
		return this.capabilities;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	// ---------------------------------------------------------------- threads

	/**
	 * File I/O blocks, so it must never run on a non-blocking thread (an event loop, Reactor's
	 * parallel scheduler): there, the work moves to the bounded-elastic scheduler. A subscriber on a
	 * thread that may block (an application thread, a bounded-elastic worker, an InputStream reader)
	 * runs it in place, which saves two thread hand-offs per operation, several times the cost of
	 * reading a small cached file.
	 */
	private <T> Flux<T> offload(Flux<T> flux) {
		return Flux.defer(() -> Schedulers.isInNonBlockingThread() ? flux.subscribeOn(this.scheduler) : flux);
	}

	private <T> Mono<T> offload(Mono<T> mono) {
		return Mono.defer(() -> Schedulers.isInNonBlockingThread() ? mono.subscribeOn(this.scheduler) : mono);
	}

	// ---------------------------------------------------------------- read

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return offload(Mono.fromCallable(() -> openForRead(path, options)))
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
		Path file = resolve(path);
		checkDirectoryInside(file.getParent());
		BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		if (before.isSymbolicLink()) {
			file = realInside(file); // a link: follow it only if it stays inside the root
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
			Flux<DataBuffer> body = offload(Flux.using(() -> reader(channel, offset, length, options), FileReader::flux,
					FileReader::close)).onErrorMap((ex) -> FsErrors.map(ex, Operation.READ, path));
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

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return offload(Mono.<ObjectMetadata>create((sink) -> {
			TempFile temp;
			try {
				temp = TempFile.create(this, resolve(path));
			}
			catch (IOException | RuntimeException ex) {
				sink.error(ex);
				return;
			}
			FileWriter writer = new FileWriter(path, resolve(path), temp, options, sink);
			sink.onCancel(writer::cancel);
			content.subscribe(writer);
		})).onErrorMap((ex) -> FsErrors.map(ex, Operation.WRITE, path));
	}

	/**
	 * Writes a write's content into its temporary file and publishes it on completion. Each buffer
	 * is written on the thread that delivers it when that thread may block (no hand-off: a small
	 * write costs less than the two thread switches), and on the bounded-elastic scheduler when it
	 * is a non-blocking thread such as a server's event loop. One buffer is requested at a time, so
	 * a slow disk slows the producer down. Spring's {@code DataBufferUtils.write} writes on whatever
	 * thread delivers, event loops included, which is why this is written here.
	 */
	private final class FileWriter extends BaseSubscriber<DataBuffer> {

		private final String path;

		private final Path file;

		private final TempFile temp;

		private final WriteOptions options;

		private final MonoSink<ObjectMetadata> sink;

		private final Context context = Operators.enableOnDiscard(Context.empty(), FsBackend::release);

		private volatile boolean finished;

		/** One worker, so that hand-offs run in order (the completion after the last write). */
		private Scheduler.@Nullable Worker worker;

		/** Buffers handed off to the worker and not yet written. */
		private final Queue<DataBuffer> queued = new ConcurrentLinkedQueue<>();

		FileWriter(String path, Path file, TempFile temp, WriteOptions options, MonoSink<ObjectMetadata> sink) {
			this.path = path;
			this.file = file;
			this.temp = temp;
			this.options = options;
			this.sink = sink;
		}

		@Override
		public Context currentContext() {
			return this.context; // buffers that upstream drops on cancel get released
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(DataBuffer buffer) {
			if (!Schedulers.isInNonBlockingThread() && this.worker == null) {
				write(buffer);
				return;
			}
			// Handed-off buffers wait in a queue, not only in the worker's tasks: whatever ends the
			// write (cancel, error) drains the queue, so no buffer is lost with a dropped task.
			this.queued.offer(buffer);
			if (this.finished) {
				drain();
			}
			else {
				handOff(this::writeNext, this::drain);
			}
		}

		private void writeNext() {
			DataBuffer buffer = this.queued.poll();
			if (buffer != null) {
				write(buffer);
			}
		}

		/** Releases what is still queued (the write is over). */
		private void drain() {
			DataBuffer buffer;
			while ((buffer = this.queued.poll()) != null) {
				DataBufferUtils.release(buffer);
			}
		}

		/** Whether work must leave this thread: it may not block, or earlier work is queued. */
		private boolean mustHandOff() {
			return Schedulers.isInNonBlockingThread() || this.worker != null;
		}

		/** Runs a task on this write's worker, after the tasks handed off before it. */
		private void handOff(Runnable task, Runnable ifRejected) {
			try {
				worker().schedule(task);
			}
			catch (RejectedExecutionException ex) {
				ifRejected.run(); // the write is over and its worker gone
			}
		}

		private synchronized Scheduler.Worker worker() {
			if (this.worker == null) {
				this.worker = FsBackend.this.scheduler.createWorker();
			}
			return this.worker;
		}

		private synchronized void releaseWorker() {
			if (this.worker != null) {
				this.worker.dispose();
			}
		}

		private void write(DataBuffer buffer) {
			try {
				if (this.finished) {
					return;
				}
				try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
					while (it.hasNext()) {
						ByteBuffer bytes = it.next();
						while (bytes.hasRemaining()) {
							this.temp.channel.write(bytes);
						}
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				cancel();
				fail(ex);
				return;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			request(1);
		}

		@Override
		protected void hookOnComplete() {
			if (mustHandOff()) {
				handOff(this::complete, () -> fail(new IllegalStateException("the write was abandoned")));
			}
			else {
				complete();
			}
		}

		private void complete() {
			if (this.finished) {
				return;
			}
			try {
				ObjectMetadata metadata = commit(this.path, this.file, this.temp, this.options);
				this.finished = true;
				cleanUp();
				this.sink.success(metadata);
			}
			catch (IOException | RuntimeException ex) {
				fail(ex);
			}
		}

		@Override
		protected void hookOnError(Throwable error) {
			if (mustHandOff()) {
				handOff(() -> fail(error), () -> fail(error)); // after queued writes, and off the event loop
			}
			else {
				fail(error);
			}
		}

		/** The consumer cancelled the write: stop reading the content and leave nothing behind. */
		@Override
		protected void hookOnCancel() {
			if (this.finished) {
				return;
			}
			this.finished = true;
			if (mustHandOff()) {
				// a client that went away cancels on the event loop: delete the file off it, after queued writes
				handOff(this::cleanUp, this::cleanUp);
			}
			else {
				cleanUp();
			}
		}

		private void cleanUp() {
			this.temp.cleanUpNow();
			drain();
			releaseWorker();
		}

		private void fail(Throwable error) {
			if (!this.finished) {
				this.finished = true;
				cleanUp();
				this.sink.error(error);
			}
		}

	}

	private static void release(Object discarded) {
		if (discarded instanceof DataBuffer buffer) {
			DataBufferUtils.release(buffer);
		}
	}

	private ObjectMetadata commit(String path, Path file, TempFile temp, WriteOptions options) throws IOException {
		if (this.settings.fsync()) {
			temp.channel.force(true);
		}
		temp.channel.close();
		FsMetadata.Stored stored = FsMetadata.of(options, newTag());
		if (this.xattrs) {
			FsMetadata.write(temp.path, stored);
		}
		BasicFileAttributes attributes = Files.readAttributes(temp.path, BasicFileAttributes.class);
		ReentrantLock lock = lockFor(file);
		lock.lock();
		try {
			if (options.ifMatch() != null) {
				String current;
				try {
					current = statFile(path, realInside(file)).etag();
				}
				catch (NoSuchFileException ex) {
					throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object");
				}
				catch (StorageException ex) {
					if (ex.kind() == ErrorKind.NOT_FOUND) {
						throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object");
					}
					throw ex;
				}
				if (!Etags.matches(options.ifMatch(), current)) {
					throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch");
				}
			}
			if (options.ifNotExists()) {
				publishIfAbsent(path, file, temp.path);
			}
			else {
				if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
					throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + path
							+ " (the filesystem cannot hold both an object 'a' and an object 'a/b')");
				}
				move(temp.path, file);
			}
			temp.published = true;
		}
		finally {
			lock.unlock();
		}
		if (this.settings.fsync()) {
			forceDirectory(file.getParent());
		}
		return metadata(path, attributes, this.xattrs ? stored : FsMetadata.NONE);
	}

	private static void publishIfAbsent(String path, Path file, Path temp) throws IOException {
		try {
			Files.createLink(file, temp);
		}
		catch (FileAlreadyExistsException ex) {
			throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
		}
		catch (UnsupportedOperationException ex) {
			// no hard links here: check and move under the lock (atomic within this JVM only)
			if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
			}
			move(temp, file);
			return;
		}
		Files.deleteIfExists(temp);
	}

	private static void move(Path source, Path target) throws IOException {
		try {
			Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// some platforms cannot open directories; the file itself was forced
		}
	}

	private static String newTag() {
		return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

	/** A write's temporary file, deleted unless it was published. */
	static final class TempFile {

		final Path path;

		final FileChannel channel;

		volatile boolean published;

		private TempFile(Path path, FileChannel channel) {
			this.path = path;
			this.channel = channel;
		}

		static TempFile create(FsBackend backend, Path file) throws IOException {
			Path directory = file.getParent();
			for (int attempt = 0;; attempt++) {
				backend.createDirectories(directory);
				Path temp = directory.resolve(TEMP_PREFIX + newTag());
				try {
					FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
							StandardOpenOption.WRITE);
					return new TempFile(temp, channel);
				}
				catch (NoSuchFileException ex) {
					// a concurrent delete removed the (empty) directory: make it again
					backend.forgetDirectory(directory);
					if (attempt >= 5) {
						throw ex;
					}
				}
			}
		}

		void cleanUpNow() {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// closing is best effort here; the file is deleted next
			}
			if (!this.published) {
				try {
					Files.deleteIfExists(this.path);
				}
				catch (IOException ex) {
					// best effort; temporary files never show in listings
				}
			}
		}

	}

	// ---------------------------------------------------------------- check

	/** The root is still a directory the process may read and write. */
	@Override
	public Mono<Void> check() {
		return offload(Mono.<Void>fromCallable(() -> {
			if (!Files.isDirectory(this.root)) {
				throw new StorageException(ErrorKind.CONFIG_INVALID, "The root directory " + this.root + " is gone");
			}
			if (!Files.isReadable(this.root) || !Files.isWritable(this.root)) {
				throw new StorageException(ErrorKind.PERMISSION_DENIED,
						"The process may not read and write the root directory " + this.root);
			}
			return null;
		}));
	}

	// ---------------------------------------------------------------- stat, delete

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return offload(Mono.fromCallable(() -> statFile(path, realInside(resolve(path)))))
			.onErrorMap((ex) -> FsErrors.map(ex, Operation.STAT, path));
	}

	private ObjectMetadata statFile(String path, Path file) throws IOException {
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

	private final java.util.concurrent.ConcurrentHashMap<MetadataKey, FsMetadata.Stored> metadataCache = new java.util.concurrent.ConcurrentHashMap<>();

	private static ObjectMetadata metadata(String path, BasicFileAttributes attributes, FsMetadata.Stored stored) {
		return new ObjectMetadata(path, attributes.size(), etag(attributes, stored),
				attributes.lastModifiedTime().toInstant(), stored.contentType(), stored.userMetadata(),
				stored.cacheControl(), stored.contentDisposition(), null);
	}

	static String etag(BasicFileAttributes attributes, FsMetadata.Stored stored) {
		String unique = (stored.tag() != null) ? stored.tag()
				: Integer.toHexString(Objects.hashCode(attributes.fileKey()));
		return "\"" + Long.toHexString(attributes.size()) + "-"
				+ Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)) + "-" + unique + "\"";
	}

	@Override
	public Mono<Void> delete(String path) {
		return Mono.<Void>fromCallable(() -> {
			Path file = resolve(path);
			checkInside(file.getParent());
			if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
				return null; // a directory is not an object: nothing to delete
			}
			if (Files.deleteIfExists(file)) {
				pruneEmptyDirectories(file.getParent());
			}
			return null;
		}).transform(this::offload).onErrorMap((ex) -> FsErrors.map(ex, Operation.DELETE, path));
	}

	private void pruneEmptyDirectories(Path directory) {
		for (Path dir = directory; dir != null && !dir.equals(this.root) && dir.startsWith(this.root);
				dir = dir.getParent()) {
			try {
				Files.delete(dir);
				this.verifiedDirectories.remove(dir);
			}
			catch (IOException ex) {
				return; // not empty (or gone): stop here
			}
		}
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return offload(Flux.<ObjectEntry>fromIterable(() -> new FsLister(this, prefix, options)))
			.onErrorMap((ex) -> FsErrors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- copy, rename

	@Override
	public Mono<Void> copy(String source, String target) {
		return Mono.<Void>fromCallable(() -> {
			Path from = realInside(resolve(source));
			if (!Files.isRegularFile(from)) {
				throw StorageException.notFound(Operation.COPY, source);
			}
			FsMetadata.Stored stored = this.xattrs ? FsMetadata.read(from) : FsMetadata.NONE;
			Path to = resolve(target);
			TempFile temp = TempFile.create(this, to);
			try {
				temp.channel.close();
				Files.copy(from, temp.path, StandardCopyOption.REPLACE_EXISTING);
				if (this.xattrs) {
					FsMetadata.write(temp.path, stored.withTag(newTag()));
				}
				if (this.settings.fsync()) {
					try (FileChannel channel = FileChannel.open(temp.path, StandardOpenOption.WRITE)) {
						channel.force(true);
					}
				}
				ReentrantLock lock = lockFor(to);
				lock.lock();
				try {
					if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
						throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + target);
					}
					move(temp.path, to);
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
		}).transform(this::offload).onErrorMap((ex) -> FsErrors.map(ex, Operation.COPY, source));
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return Mono.<Void>fromCallable(() -> {
			Path from = resolve(source);
			if (!Files.isRegularFile(realInside(from))) {
				throw StorageException.notFound(Operation.RENAME, source);
			}
			Path to = resolve(target);
			createDirectories(to.getParent());
			ReentrantLock lock = lockFor(to);
			lock.lock();
			try {
				if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
					throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + target);
				}
				move(from, to);
			}
			finally {
				lock.unlock();
			}
			pruneEmptyDirectories(from.getParent());
			return null;
		}).transform(this::offload).onErrorMap((ex) -> FsErrors.map(ex, Operation.RENAME, source));
	}

	// ---------------------------------------------------------------- paths

	/** The file of a normalised path; never outside the root, before symbolic links. */
	Path resolve(String path) {
		Path file = this.root.resolve(path).normalize();
		if (!file.startsWith(this.root) || file.equals(this.root)) {
			throw new StorageException(ErrorKind.INVALID_INPUT, "Path escapes the root: " + path);
		}
		String name = file.getFileName().toString();
		if (name.startsWith(TEMP_PREFIX)) {
			throw new StorageException(ErrorKind.INVALID_INPUT,
					"Names starting with '" + TEMP_PREFIX + "' are reserved by the fs backend: " + path);
		}
		return file;
	}

	/** The real path of an existing file, checked to be inside the root after following links. */
	Path realInside(Path file) throws IOException {
		Path real = file.toRealPath();
		if (!real.startsWith(this.root)) {
			throw outside(file);
		}
		return real;
	}

	/**
	 * Checks that a directory resolves inside the root, remembering the answer for a second: resolving
	 * every link of a path costs a system call per segment, as much as reading a small file. A
	 * directory that a local user replaces with a link to outside the root is noticed within that second.
	 */
	private void checkDirectoryInside(Path directory) throws IOException {
		long now = System.nanoTime();
		Long until = this.verifiedDirectories.get(directory);
		if (until != null && now - until < 0) {
			return;
		}
		if (!directory.toRealPath().startsWith(this.root)) {
			throw outside(directory);
		}
		if (this.verifiedDirectories.size() > 10_000) {
			this.verifiedDirectories.clear();
		}
		this.verifiedDirectories.put(directory, now + VERIFIED_TTL_NANOS);
	}

	/** Checks that the nearest existing ancestor-or-self of a path lies inside the root. */
	void checkInside(Path path) throws IOException {
		Path existing = path;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (existing == null || !existing.toRealPath().startsWith(this.root)) {
			throw outside(path);
		}
	}

	private void createDirectories(Path directory) throws IOException {
		Long until = this.verifiedDirectories.get(directory);
		if (until != null && System.nanoTime() - until < 0) {
			return; // exists and lies inside the root, as checked less than a second ago
		}
		checkInside(directory);
		Files.createDirectories(directory);
		checkDirectoryInside(directory);
	}

	/** Forgets a directory's check (it was removed, for one). */
	void forgetDirectory(Path directory) {
		this.verifiedDirectories.remove(directory);
	}

	private StorageException outside(Path path) {
		return new StorageException(ErrorKind.PERMISSION_DENIED,
				"Path resolves outside the storage root (through a symbolic link): " + this.root.relativize(path));
	}

	boolean xattrs() {
		return this.xattrs;
	}

	private static ReentrantLock lockFor(Path file) {
		return LOCKS.forKey(file);
	}

}
