package dev.objectstorage.sftp;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

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
import dev.objectstorage.spi.PathOrder;
import dev.objectstorage.spi.StorageBackend;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A backend that keeps objects as files on an SSH server, over SFTP (Apache MINA SSHD's client;
 * tested against OpenSSH's and MINA SSHD's servers).
 * <ul>
 * <li>Every operation borrows one SFTP channel from a bounded pool ({@link SftpSettings#maxChannels()})
 * and runs its blocking SFTP calls on the backend's own bounded scheduler, never on the caller's
 * thread; waiting for a channel blocks no thread. An opened content keeps its channel (and its open
 * file handle) until its body ends, fails or is cancelled, or until it is released unread.</li>
 * <li>Reads stream the file in requests of {@link SftpSettings#readChunkSize()} as the subscriber
 * asks, from the range's offset, with up to {@link SftpSettings#requestsInFlight()} requests in
 * flight (waiting for each answer would cost a network round trip per request); cancelling closes
 * the file handle. The metadata that comes with the bytes is that of the file opened (its
 * attributes taken from the open handle, and its sidecar), so an overwrite after the open changes
 * neither. A server that reads through an open handle whatever the path holds now (rclone's
 * {@code serve sftp}) is found out by the backend's first read (with private temporary files): on
 * such a server each window of read answers is checked against the handle's attributes before it
 * is emitted, and a read whose file was replaced fails with {@code CONDITION_NOT_MATCH} rather than
 * pass the new bytes off as the version opened.</li>
 * <li>Writes go to a hidden temporary file ({@code .os-tmp-*}) in the target's directory (created
 * as needed), with up to {@link SftpSettings#requestsInFlight()} write requests in flight, which is
 * then renamed onto the target with OpenSSH's {@code posix-rename@openssh.com}
 * (an SFTP version 3 rename fails when the target exists). Readers see the old object or the whole
 * new one; a failed or cancelled write removes its temporary file.</li>
 * <li>SFTP has no entity tags, and modification times in whole seconds; content type, cache
 * control, content disposition, user metadata and a random per-write tag live in a hidden sidecar
 * file per object (see {@link SftpMetadata}), unless {@link SftpSettings#metadata()} is off.</li>
 * <li>{@code ifNotExists} publishes with OpenSSH's {@code hardlink@openssh.com}, which fails if the
 * target exists: atomic against every other client. A server's OK is not taken on trust: before
 * the first link the backend checks on private temporary files that links are really made, and
 * after each link that the target is the file just written, before the temporary name goes (rclone's
 * {@code serve sftp} answers OK and makes no link). Where there are no working hard links, a plain
 * SFTP rename publishes, once the backend has checked that this server's rename never replaces a
 * file (OpenSSH's and MINA SSHD's do not; rclone's does); where neither works the write fails with
 * {@code UNSUPPORTED} and publishes nothing, and {@link SftpSettings#atomicCreate()} {@code false}
 * turns the capability off up front. What is found out is kept for the backend's life.
 * {@code ifMatch} compares the entity tag and
 * then renames: atomic against the other writers of this JVM (they hold a lock per path), but a
 * client elsewhere that writes between the check and the rename is overwritten.</li>
 * <li>Directories are not objects: listings fold sub-directories into {@code dir/} entries and show
 * only directories that hold objects, deletes remove the directories they leave empty, temporary
 * and sidecar files never show. Listings read one directory at a time (borrowing a channel for that
 * read only), sort it in {@link PathOrder} and walk the tree lazily, depth first.</li>
 * <li>Copy streams the bytes through the client (SFTP version 3 has no server-side copy) into a
 * temporary file; cancelling it stops the copy and removes that file. Rename renames the data and
 * sidecar files.</li>
 * <li>A writer that dies mid-write (the JVM killed, the connection lost for good) leaves its
 * temporary file behind. Unless {@link SftpSettings#tempMaxAge()} is zero, the backend walks its
 * tree once in the background, a few seconds after it is created, and removes the temporary files
 * older than that (by their exact generated names: never an object nor a sidecar); best effort, one
 * directory (and channel) at a time, not following symbolic links, stopped by {@link #close()}.</li>
 * </ul>
 * Names starting with {@code .os-tmp-} or {@code .os-meta.} are reserved. A file system cannot hold
 * an object {@code a} and an object {@code a/b} at once: such a write fails with
 * {@code ALREADY_EXISTS}.
 */
public class SftpBackend implements StorageBackend {

	private final SftpSettings settings;

	private final DataBufferFactory bufferFactory;

	private final SftpConnector connector;

	private final Capabilities capabilities;

	/** How long after the backend is created its sweep of old temporary files starts. */
	static final Duration SWEEP_DELAY = Duration.ofSeconds(5);

	/** The start-up sweep of old temporary files, or {@code null} when it is off. */
	private final @Nullable Disposable sweep;

	/** Shared by the parts below: settings, buffer factory, channels, paths, locks, metadata. */
	private final SftpCore core;

	private final SftpReader reader;

	private final SftpPublisher publisher;

	private final SftpWriter writer;

	private final SftpOperations operations;

	private final SftpSweeper sweeper;

	/**
	 * A backend with Spring's default (heap) buffer factory.
	 * @param settings the settings
	 */
	public SftpBackend(SftpSettings settings) {
		this(settings, DefaultDataBufferFactory.sharedInstance);
	}

	/**
	 * A backend that allocates read buffers with the given factory. Nothing connects before the
	 * first operation, or before the sweep of old temporary files a few seconds later (unless
	 * {@link SftpSettings#tempMaxAge()} is zero).
	 * @param settings the settings
	 * @param bufferFactory the factory
	 * @throws StorageException of kind {@link ErrorKind#CONFIG_INVALID} if the private key cannot be loaded
	 */
	public SftpBackend(SftpSettings settings, DataBufferFactory bufferFactory) {
		this(settings, bufferFactory, UnaryOperator.identity());
	}

	/**
	 * A backend whose SFTP clients pass through the given decorator (tests observe the calls with it).
	 * The decorated client must still implement {@link org.apache.sshd.sftp.client.RawSftpClient}.
	 */
	SftpBackend(SftpSettings settings, DataBufferFactory bufferFactory, UnaryOperator<SftpClient> decorator) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
		this.connector = new SftpConnector(settings, decorator);
		this.core = new SftpCore(settings, bufferFactory, this.connector);
		this.reader = new SftpReader(this.core);
		this.publisher = new SftpPublisher(this.core);
		this.writer = new SftpWriter(this.core, this.publisher);
		this.operations = new SftpOperations(this.core, this.publisher);
		this.sweeper = new SftpSweeper(this.core);
		boolean metadata = settings.metadata();
		this.capabilities = Capabilities.full()
			.writeWithIfNotExists(settings.atomicCreate())
			.writeWithContentType(metadata)
			.writeWithUserMetadata(metadata)
			.writeWithCacheControl(metadata)
			.writeWithContentDisposition(metadata)
			.build();
		Duration maxAge = settings.tempMaxAge();
		this.sweep = maxAge.isZero() ? null
				: Mono.delay(SWEEP_DELAY, this.connector.scheduler())
					.then(Mono.defer(() -> sweepTemporaryFiles(maxAge)))
					.subscribe(null, (ex) -> {
						// best effort: the next start sweeps again
					});
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public SftpSettings settings() {
		return this.settings;
	}

	@Override
	public String scheme() {
		return "sftp";
	}

	@Override
	public String location() {
		String root = this.settings.root();
		String path = root.startsWith("/") ? root : "/~" + (root.isEmpty() ? "" : "/" + root);
		return "sftp://" + this.settings.username() + "@" + this.settings.host() + ":" + this.settings.port() + path;
	}

	@Override
	public Capabilities capabilities() {
		return this.capabilities;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	/** How many SFTP channels are open now (borrowed or idle); for tests and diagnostics. */
	int openChannels() {
		return this.connector.openChannels();
	}

	// ---------------------------------------------------------------- channels

	/** Runs one blocking step with a borrowed channel. */
	private <T> Mono<T> call(Operation operation, String path, SftpCore.LeaseFunction<T> work) {
		return this.core.call(operation, path, work);
	}

	// ---------------------------------------------------------------- read

	/**
	 * Borrows a channel, opens the file and reads the metadata of the file opened. The content holds
	 * the channel (and the open handle) until its body ends, fails or is cancelled, or until it is
	 * released unread; an open that fails, or is cancelled before it emits, gives the channel back.
	 */
	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return this.reader.open(path, options);
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return this.writer.write(path, content, options);
	}

	/** What is known of the server's hard links (for tests). */
	SftpPublisher.HardLinks hardLinks() {
		return this.publisher.hardLinks;
	}

	// ---------------------------------------------------------------- stat, delete

	/** Logs in (or borrows a channel) and stats the root: it must be a directory. */
	@Override
	public Mono<Void> check() {
		return this.<Void>call(Operation.STAT, "", (lease) -> {
			String root = lease.channel().root();
			Attributes attributes = RemoteFiles.statOrNull(lease.sftp(), root);
			if (attributes == null || !attributes.isDirectory()) {
				throw new StorageException(ErrorKind.CONFIG_INVALID,
						"The root directory '" + root + "' does not exist on the server", Operation.STAT, null, null,
						false, null);
			}
			return null;
		});
	}

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return call(Operation.STAT, path, (lease) -> {
			String file = SftpCore.file(lease, path);
			Attributes attributes = RemoteFiles.statOrNull(lease.sftp(), file);
			if (attributes == null || !attributes.isRegularFile()) {
				throw StorageException.notFound(Operation.STAT, path);
			}
			return this.core.metadata(lease, path, file, attributes);
		});
	}

	@Override
	public Mono<Void> delete(String path) {
		return call(Operation.DELETE, path, (lease) -> {
			SftpClient sftp = lease.sftp();
			String file = SftpCore.file(lease, path);
			ReentrantLock lock = SftpCore.lockFor(file);
			lock.lock();
			try {
				boolean removed = true;
				try {
					sftp.remove(file);
				}
				catch (SftpException ex) {
					if (!SftpErrors.isNotFound(ex)) {
						Attributes attributes = RemoteFiles.lstatOrNull(sftp, file);
						if (attributes != null && attributes.isDirectory()) {
							return null; // a directory is not an object: nothing to delete
						}
						throw ex;
					}
					removed = false;
				}
				if (this.settings.metadata()) {
					RemoteFiles.removeQuietly(sftp, SftpMetadata.sidecarOf(file));
				}
				if (removed) {
					RemoteFiles.pruneEmptyDirectories(sftp, RemoteFiles.parent(file), lease.channel().root());
				}
			}
			finally {
				lock.unlock();
			}
			return null;
		});
	}

	// ---------------------------------------------------------------- list

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return new SftpLister(this.core).list(prefix, options)
			.onErrorMap((ex) -> SftpErrors.map(ex, Operation.LIST, prefix));
	}

	// ---------------------------------------------------------------- sweep of temporary files

	/**
	 * Removes the temporary files of writes older than {@code maxAge} anywhere under the root; see
	 * {@link SftpSweeper#sweepTemporaryFiles(Duration)}.
	 * @param maxAge how old a temporary file must be (by its modification time) to be removed
	 * @return the number of files removed
	 */
	Mono<Integer> sweepTemporaryFiles(Duration maxAge) {
		return this.sweeper.sweepTemporaryFiles(maxAge);
	}

	// ---------------------------------------------------------------- copy, rename

	/**
	 * Copies in one blocking task on the channel's worker. A cancel cannot interrupt that task, so
	 * the task looks at a flag between chunks and before publishing: a cancelled copy stops, never
	 * publishes, and its temporary file goes in the lease's clean-up.
	 */
	@Override
	public Mono<Void> copy(String source, String target) {
		return this.operations.copy(source, target);
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return this.operations.rename(source, target);
	}

	/**
	 * Closes the SFTP channels and SSH connections and stops the scheduler. Does not delete any data.
	 */
	@Override
	public void close() {
		Disposable s = this.sweep;
		if (s != null) {
			s.dispose();
		}
		this.connector.close();
	}

	@Override
	public String toString() {
		return "SftpBackend[" + location() + "]";
	}

}
