package dev.objectstorage.fs;

import dev.objectstorage.spi.Etags;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.StripedLocks;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The writing side of the fs backend: a write's content goes to a temporary file ({@link FsTempFile})
 * that is published (moved, or linked for {@code ifNotExists}) into place when the content completes.
 */
final class FsWriter {

	private static final StripedLocks LOCKS = new StripedLocks(64);

	private final FsSettings settings;

	private final FsRoot root;

	private final boolean xattrs;

	private final FsReader reader;

	private final FsOffload offload;

	FsWriter(FsSettings settings, FsRoot root, boolean xattrs, FsReader reader, FsOffload offload) {
		this.settings = settings;
		this.root = root;
		this.xattrs = xattrs;
		this.reader = reader;
		this.offload = offload;
	}

	Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return this.offload.offload(Mono.<ObjectMetadata>create((sink) -> {
			FsTempFile temp;
			try {
				temp = FsTempFile.create(this.root, this.root.resolve(path));
			}
			catch (IOException | RuntimeException ex) {
				sink.error(ex);
				return;
			}
			FileWriter writer = new FileWriter(path, this.root.resolve(path), temp, options, sink);
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

		private final FsTempFile temp;

		private final WriteOptions options;

		private final MonoSink<ObjectMetadata> sink;

		private final Context context = Operators.enableOnDiscard(Context.empty(), FsWriter::release);

		private volatile boolean finished;

		/** One worker, so that hand-offs run in order (the completion after the last write). */
		private Scheduler.@Nullable Worker worker;

		/** Buffers handed off to the worker and not yet written. */
		private final Queue<DataBuffer> queued = new ConcurrentLinkedQueue<>();

		FileWriter(String path, Path file, FsTempFile temp, WriteOptions options, MonoSink<ObjectMetadata> sink) {
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
				this.worker = FsWriter.this.offload.scheduler().createWorker();
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

	private ObjectMetadata commit(String path, Path file, FsTempFile temp, WriteOptions options) throws IOException {
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
					current = this.reader.statFile(path, this.root.realInside(file)).etag();
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
				replace(path, temp.path, file);
			}
			temp.published = true;
		}
		finally {
			lock.unlock();
		}
		if (this.settings.fsync()) {
			forceDirectory(file.getParent());
		}
		return FsReader.metadata(path, attributes, this.xattrs ? stored : FsMetadata.NONE);
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

	/**
	 * Moves a written file over the object's file. A file never replaces a directory: {@code rename(2)}
	 * refuses it ({@code EISDIR}), so the directory is looked for only when the move failed, which
	 * saves a {@code stat} per write; the non-atomic fallback (which would replace an empty directory)
	 * looks first.
	 */
	private static void replace(String path, Path temp, Path file) throws IOException {
		try {
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			refuseDirectory(path, file);
			Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (FileSystemException ex) {
			refuseDirectory(path, file);
			throw ex;
		}
	}

	private static void refuseDirectory(String path, Path file) {
		if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
			throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + path
					+ " (the filesystem cannot hold both an object 'a' and an object 'a/b')");
		}
	}

	static void move(Path source, Path target) throws IOException {
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

	static String newTag() {
		return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

	static ReentrantLock lockFor(Path file) {
		return LOCKS.forKey(file);
	}

}
