package dev.objectstorage.sftp;

import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
import dev.objectstorage.spi.PathOrder;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.spi.StripedLocks;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
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

	private static final StripedLocks LOCKS = new StripedLocks(64);

	private final SftpSettings settings;

	private final DataBufferFactory bufferFactory;

	private final SftpConnector connector;

	private final Capabilities capabilities;

	/** How long after the backend is created its sweep of old temporary files starts. */
	static final Duration SWEEP_DELAY = Duration.ofSeconds(5);

	/** The start-up sweep of old temporary files, or {@code null} when it is off. */
	private final @Nullable Disposable sweep;

	/** What is known of the server's {@code hardlink@openssh.com}; found out on first use, then kept. */
	private volatile HardLinks hardLinks = HardLinks.UNKNOWN;

	/**
	 * Whether the server's SFTP version 3 rename refuses to replace an existing file, or
	 * {@code null} until found out (on the first write with {@code ifNotExists} that needs it).
	 */
	private volatile @Nullable Boolean renameRefusesToReplace;

	/**
	 * Whether reads through an open file handle keep reading the version opened when the file is
	 * replaced, or {@code null} until found out (by the first read).
	 */
	private volatile @Nullable Boolean handlesKeepVersion;

	/** What a server's answers to {@code hardlink@openssh.com} are worth. */
	enum HardLinks {

		/** Not tried yet. */
		UNKNOWN,

		/** A link the server answers with OK is made (a file system without links refuses them outright). */
		WORK,

		/** The server answered OK and made no link (rclone's serve sftp): never used again. */
		FAKE

	}

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

	/** Borrows a channel for the publisher that {@code use} returns, and gives it back when that ends. */
	private <T> Mono<T> withLease(Function<Lease, Mono<T>> use) {
		return Mono.usingWhen(this.connector.acquire(), use, Lease::release, (lease, error) -> lease.release(),
				Lease::release);
	}

	/** Runs one blocking step with a borrowed channel. */
	private <T> Mono<T> call(Operation operation, String path, LeaseFunction<T> work) {
		return withLease((lease) -> lease.call(() -> work.apply(lease)))
			.onErrorMap((ex) -> SftpErrors.map(ex, operation, path));
	}

	@FunctionalInterface
	private interface LeaseFunction<T> {

		@Nullable T apply(Lease lease) throws Exception;

	}

	/** The absolute file of an object path; reserved names are refused. */
	private String file(Lease lease, String path) {
		checkNotReserved(path);
		String root = lease.channel().root();
		return root.equals("/") ? "/" + path : root + "/" + path;
	}

	private static void checkNotReserved(String path) {
		for (String segment : path.split("/")) {
			if (SftpMetadata.isReserved(segment)) {
				throw new StorageException(ErrorKind.INVALID_INPUT, "Names starting with '" + SftpMetadata.TEMP_PREFIX
						+ "' or '" + SftpMetadata.PREFIX + "' are reserved by the sftp backend: " + path);
			}
		}
	}

	private static ReentrantLock lockFor(String file) {
		return LOCKS.forKey(file);
	}

	// ---------------------------------------------------------------- read

	/**
	 * Borrows a channel, opens the file and reads the metadata of the file opened. The content holds
	 * the channel (and the open handle) until its body ends, fails or is cancelled, or until it is
	 * released unread; an open that fails, or is cancelled before it emits, gives the channel back.
	 */
	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return this.connector.acquire()
			.flatMap((lease) -> open(lease, path, options))
			.doOnDiscard(ObjectContent.class, ObjectContent::release)
			.onErrorMap((ex) -> SftpErrors.map(ex, Operation.READ, path));
	}

	private Mono<ObjectContent> open(Lease lease, String path, ReadOptions options) {
		// set by whichever comes first: the content going downstream (it owns the lease from then on),
		// the open failing or the open being cancelled (each gives the lease back)
		AtomicBoolean settled = new AtomicBoolean();
		return lease.call(() -> openForRead(lease, path, options)).<ObjectContent>handle((content, sink) -> {
			if (settled.compareAndSet(false, true)) {
				sink.next(content);
			}
			else {
				content.release(); // cancelled meanwhile: the lease is on its way back already
			}
		}).onErrorResume((ex) -> {
			settled.set(true);
			return lease.release().then(Mono.error(ex));
		}).doOnCancel(() -> {
			if (settled.compareAndSet(false, true)) {
				// runs on the worker after the open still in flight, which closes what it opened
				lease.release().subscribe();
			}
		});
	}

	/** Opens the file on the lease's worker; what it opens is closed when the lease is released. */
	private ObjectContent openForRead(Lease lease, String path, ReadOptions options) throws IOException {
		String file = file(lease, path);
		SftpClient sftp = lease.sftp();
		CloseableHandle handle;
		try {
			handle = sftp.open(file, OpenMode.Read);
		}
		catch (SftpException ex) {
			Attributes attributes = SftpErrors.isNotFound(ex) ? null : RemoteFiles.statOrNull(sftp, file);
			if (attributes == null || attributes.isDirectory()) {
				throw StorageException.notFound(Operation.READ, path);
			}
			throw ex;
		}
		lease.onRelease(handle::close);
		// the attributes of the file opened: an overwrite after this point does not change what is read
		Attributes attributes = sftp.stat(handle);
		if (!attributes.isRegularFile()) {
			throw StorageException.notFound(Operation.READ, path);
		}
		ObjectMetadata metadata = metadata(lease, path, file, attributes);
		if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), metadata.etag())) {
			throw StorageException.conditionNotMatch(Operation.READ, path, "ifMatch");
		}
		if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), metadata.etag())) {
			throw StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch");
		}
		long size = metadata.size();
		long length = Ranges.length(path, options, size);
		long offset = (size == 0) ? 0 : options.offset();
		// Some servers do not keep the version a handle opened: rclone's serve sftp reads through an
		// open handle whatever the path holds now. On those (found out once per backend) each window
		// of answers is checked before it is emitted: a version replaced meanwhile differs in size or
		// time (writes see to that), and then the read fails rather than pass the new bytes off as
		// the version opened
		RemoteReader.Check check = handlesKeepVersion(lease, RemoteFiles.parent(file)) ? null
				: (failure) -> checkUnchanged(sftp, handle, attributes, path, failure);
		RemoteReader reader = new RemoteReader(lease.channel(), handle, offset, length,
				options.bufferSizeOr(this.settings.readChunkSize()), this.settings.readChunkSize(),
				this.settings.requestsInFlight(), this.bufferFactory, check);
		// before the handle is closed (clean-ups run last-in first-out): a cancelled read's answers
		// still in flight must be taken off the channel before it goes back to the pool
		lease.onRelease(reader::drain);
		Flux<DataBuffer> body = Flux
			.usingWhen(Mono.just(lease), (held) -> held.pull(reader::next), Lease::release,
					(held, error) -> held.release(), Lease::release)
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.onErrorMap((ex) -> SftpErrors.map(ex, Operation.READ, path));
		return Contents.streamed(metadata, offset, length, body, () -> lease.release().subscribe());
	}

	/**
	 * Fails a read whose file changed under its open handle (the handle's attributes now differ in
	 * size or modification time from those when it was opened): for servers that do not keep the
	 * version a handle opened.
	 */
	private static void checkUnchanged(SftpClient sftp, CloseableHandle handle, Attributes opened, String path,
			@Nullable IOException failure) throws IOException {
		Attributes now;
		try {
			now = sftp.stat(handle);
		}
		catch (IOException ex) {
			if (failure != null) {
				failure.addSuppressed(ex);
				return;
			}
			throw ex;
		}
		if (now.getSize() == opened.getSize() && RemoteFiles.seconds(now) == RemoteFiles.seconds(opened)) {
			return;
		}
		StorageException changed = StorageException.conditionNotMatch(Operation.READ, path,
				"the object was replaced while it was read, and this SFTP server does not keep the version an open"
						+ " file handle opened (rclone's serve sftp reads the new file)");
		if (failure != null) {
			changed.addSuppressed(failure);
		}
		throw changed;
	}

	/**
	 * Whether reads through an open handle keep reading the file opened after another file is
	 * renamed over its name (OpenSSH and MINA SSHD read an open file descriptor or channel; rclone's
	 * serve sftp opens the path again, lazily and on a seek). Found out once with private temporary
	 * files in {@code directory}, on the first read; where that fails (no write permission) it
	 * counts as not kept, and reads are checked.
	 */
	private boolean handlesKeepVersion(Lease lease, String directory) {
		Boolean known = this.handlesKeepVersion;
		if (known != null) {
			return known;
		}
		SftpClient sftp = lease.sftp();
		String opened = directory + "/" + SftpMetadata.newTempName();
		String replacement = directory + "/" + SftpMetadata.newTempName();
		byte[] first = new byte[4096];
		byte[] second = new byte[4096];
		java.util.Arrays.fill(first, (byte) 'a');
		java.util.Arrays.fill(second, (byte) 'b');
		try {
			RemoteFiles.writeNewFile(sftp, opened, first);
			RemoteFiles.writeNewFile(sftp, replacement, second);
			boolean kept = true;
			try (CloseableHandle handle = sftp.open(opened, OpenMode.Read)) {
				byte[] chunk = new byte[16];
				kept &= sftp.read(handle, 0, chunk, 0, 16) == 16 && chunk[0] == 'a';
				RemoteFiles.renameReplacing(lease.channel(), replacement, opened);
				// on from where the last read stopped, then back to the start (a seek)
				kept &= sftp.read(handle, 16, chunk, 0, 16) == 16 && chunk[0] == 'a';
				kept &= sftp.read(handle, 2048, chunk, 0, 16) == 16 && chunk[0] == 'a';
				kept &= sftp.read(handle, 0, chunk, 0, 16) == 16 && chunk[0] == 'a';
			}
			this.handlesKeepVersion = kept;
			return kept;
		}
		catch (IOException | RuntimeException ex) {
			this.handlesKeepVersion = false;
			return false;
		}
		finally {
			RemoteFiles.removeQuietly(sftp, opened);
			RemoteFiles.removeQuietly(sftp, replacement);
		}
	}

	// ---------------------------------------------------------------- write

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		SftpMetadata.Stored stored = SftpMetadata.of(options);
		return withLease((lease) -> lease.call(() -> openTemp(lease, path, options)).flatMap((temp) -> {
			if (temp.failure != null) {
				// the condition fails already: skip the upload, but consume the content as a write does
				// (then() hands each buffer to the discard hook below, which releases it: once)
				return content.then(Mono.<ObjectMetadata>error(temp.failure));
			}
			return Mono.<Void>create((sink) -> {
				Upload upload = new Upload(lease, temp, sink);
				sink.onCancel(upload::dispose);
				content.subscribe(upload);
			})
				.then(lease.call(() -> publish(lease, path, temp, stored, options)));
		}))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.onErrorMap((ex) -> SftpErrors.map(ex, Operation.WRITE, path));
	}

	/**
	 * Checks the write's condition and opens its temporary file. A condition that fails already is
	 * reported when the content ends (as callers of an output stream expect it on close), without
	 * uploading the content.
	 */
	private TempFile openTemp(Lease lease, String path, WriteOptions options) throws IOException {
		String file = file(lease, path);
		if (options.ifNotExists() || options.ifMatch() != null) {
			try {
				checkCondition(lease, path, file, RemoteFiles.statOrNull(lease.sftp(), file), options);
			}
			catch (StorageException ex) {
				return TempFile.failed(lease.sftp(), ex);
			}
		}
		return TempFile.create(lease, file, this.settings.requestsInFlight());
	}

	private void checkCondition(Lease lease, String path, String file, @Nullable Attributes current,
			WriteOptions options) throws IOException {
		boolean exists = current != null && current.isRegularFile();
		if (options.ifNotExists() && current != null) {
			throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
		}
		if (options.ifMatch() != null) {
			if (!exists) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object");
			}
			if (!Etags.matches(options.ifMatch(), metadata(lease, path, file, current).etag())) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch");
			}
		}
	}

	/**
	 * Puts a complete temporary file in place: checks the condition again, makes the new version's
	 * size and time differ from the current one's, writes the sidecar and renames both.
	 */
	private ObjectMetadata publish(Lease lease, String path, TempFile temp, SftpMetadata.Stored metadata,
			WriteOptions options) throws IOException {
		SftpClient sftp = lease.sftp();
		String file = file(lease, path);
		Attributes written = temp.finish();
		long size = written.getSize();
		long mtime = RemoteFiles.seconds(written);
		ReentrantLock lock = lockFor(file);
		lock.lock();
		try {
			Attributes current = RemoteFiles.statOrNull(sftp, file);
			if (current != null && current.isDirectory()) {
				throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + path
						+ " (SFTP cannot hold both an object 'a' and an object 'a/b')");
			}
			checkCondition(lease, path, file, current, options);
			if (current != null && current.isRegularFile() && current.getSize() == size
					&& RemoteFiles.seconds(current) == mtime) {
				// same size within the same second: move the time on so that the versions stay distinguishable
				mtime++;
				FileTime time = FileTime.from(mtime, TimeUnit.SECONDS);
				sftp.setStat(temp.path, new Attributes().accessTime(time).modifyTime(time));
			}
			SftpMetadata.Stored stored = metadata.forVersion(metadata.tag(), size, mtime);
			TempFile sidecar = null;
			if (this.settings.metadata()) {
				sidecar = TempFile.createWith(lease, file, SftpMetadata.format(stored));
			}
			if (options.ifNotExists()) {
				publishIfAbsent(lease, path, temp, file, size, mtime);
			}
			else {
				// the sidecar goes first, so that a reader who finds the new data finds its metadata; the
				// one it replaces stays restorable until the data is in place
				SidecarBackup old = null;
				if (sidecar != null) {
					old = (current != null) ? SidecarBackup.keep(this, lease, file) : SidecarBackup.none(file);
					RemoteFiles.publishRenaming(lease.channel(), sidecar.path, SftpMetadata.sidecarOf(file));
					sidecar.published = true;
				}
				try {
					RemoteFiles.publishRenaming(lease.channel(), temp.path, file);
				}
				catch (IOException | RuntimeException ex) {
					if (old != null) {
						old.restore(lease, ex); // else the old data would carry the new version's metadata
					}
					throw ex;
				}
				temp.published = true;
			}
			if (sidecar != null && !sidecar.published) {
				RemoteFiles.publishRenaming(lease.channel(), sidecar.path, SftpMetadata.sidecarOf(file));
				sidecar.published = true;
			}
			return new ObjectMetadata(path, size, SftpMetadata.etag(size, mtime, this.settings.metadata() ? stored.tag() : null),
					java.time.Instant.ofEpochSecond(mtime), this.settings.metadata() ? stored.contentType() : null,
					this.settings.metadata() ? stored.userMetadata() : java.util.Map.of(),
					this.settings.metadata() ? stored.cacheControl() : null,
					this.settings.metadata() ? stored.contentDisposition() : null, null);
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Publishes only if nothing is at the target, atomically, and never removes the only copy of the
	 * data on a server's word alone.
	 * <ul>
	 * <li>A hard link fails if the name exists (OpenSSH answers a generic failure then, so the target
	 * is looked at to tell). Before the first link the backend checks, on two private temporary
	 * files, that a link the server answers with OK is really made (rclone's {@code serve sftp}
	 * answers OK and makes none); after each link it checks that the target is the file just written
	 * (same size and modification time) before the temporary name goes.</li>
	 * <li>A file system without hard links (CIFS, exFAT, many FUSE file systems) fails the link with
	 * nothing at the target, and a server whose links are found not to be made is not asked again:
	 * then a plain SFTP version 3 rename publishes, which on OpenSSH and MINA SSHD never replaces an
	 * existing file, but only once the backend has checked, on two private temporary files, that
	 * this server's rename refuses to replace (rclone's replaces).</li>
	 * <li>Where neither works, the write fails with {@link ErrorKind#UNSUPPORTED} and publishes
	 * nothing; {@link SftpSettings#atomicCreate()} {@code false} declares it up front.</li>
	 * </ul>
	 */
	private void publishIfAbsent(Lease lease, String path, TempFile temp, String file, long size, long mtime)
			throws IOException {
		SftpClient sftp = lease.sftp();
		String directory = RemoteFiles.parent(file);
		if (!this.settings.atomicCreate()) {
			throw new StorageException(ErrorKind.UNSUPPORTED, "Writes with ifNotExists are off for this SFTP server"
					+ " (atomicCreate is false): " + path);
		}
		HardLinkExtension hardLink = lease.channel().hardLink();
		if (hardLink != null && this.hardLinks == HardLinks.UNKNOWN) {
			this.hardLinks = linksAreMade(lease, directory) ? HardLinks.WORK : HardLinks.FAKE;
		}
		if (hardLink != null && this.hardLinks == HardLinks.WORK) {
			boolean linked = true;
			try {
				hardLink.link(temp.path, file);
			}
			catch (SftpException ex) {
				checkAbsent(sftp, path, file);
				linked = false; // nothing there: this file system has no hard links, so rename below
			}
			if (linked) {
				Attributes there = RemoteFiles.lstatOrNull(sftp, file);
				if (there != null && there.isRegularFile() && there.getSize() == size
						&& RemoteFiles.seconds(there) == mtime) {
					// linked: the temporary name goes (in the lease's clean-up), the object stays under its new name
					return;
				}
				if (there != null) {
					// another file got there first (a link of ours would have the attributes of the temporary file)
					throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
				}
				if (linksAreMade(lease, directory)) {
					// our link was made, and someone deleted the object since: the write did publish
					return;
				}
				// the server answered OK and made nothing: the temporary file is the only copy, keep it
				this.hardLinks = HardLinks.FAKE;
			}
		}
		if (!renameRefusesToReplace(lease, directory)) {
			throw new StorageException(ErrorKind.UNSUPPORTED, "This SFTP server cannot create a file only if its"
					+ " name is free: " + ((hardLink == null) ? "it does not offer hardlink@openssh.com"
							: (this.hardLinks == HardLinks.FAKE)
									? "it answers hardlink@openssh.com with OK but makes no link"
									: "its file system has no hard links")
					+ ", and its SFTP rename replaces an existing file (rclone's serve sftp does both); nothing was"
					+ " written to " + path + ". Set atomicCreate to false (storage.sftp.atomic-create) to declare"
					+ " writes with ifNotExists unsupported");
		}
		try {
			sftp.rename(temp.path, file); // SFTP version 3, checked to never replace on this server
			temp.published = true;
		}
		catch (SftpException ex) {
			checkAbsent(sftp, path, file);
			throw ex;
		}
	}

	/**
	 * Whether the server's hard links are made: links a new private temporary file in
	 * {@code directory} to a second private name and looks for it (no other client knows either
	 * name, so what is there can only be the link). Both names are removed.
	 */
	private static boolean linksAreMade(Lease lease, String directory) throws IOException {
		SftpClient sftp = lease.sftp();
		HardLinkExtension hardLink = lease.channel().hardLink();
		if (hardLink == null) {
			return false;
		}
		String probe = directory + "/" + SftpMetadata.newTempName();
		String link = directory + "/" + SftpMetadata.newTempName();
		try {
			RemoteFiles.writeNewFile(sftp, probe, PROBE_BYTES);
			try {
				hardLink.link(probe, link);
			}
			catch (SftpException ex) {
				return true; // refused, not faked: a file system without links, which each write finds out
			}
			Attributes there = RemoteFiles.lstatOrNull(sftp, link);
			return there != null && there.isRegularFile() && there.getSize() == PROBE_BYTES.length;
		}
		finally {
			RemoteFiles.removeQuietly(sftp, link);
			RemoteFiles.removeQuietly(sftp, probe);
		}
	}

	/**
	 * Whether the server's SFTP version 3 rename refuses to replace an existing file (as OpenSSH and
	 * MINA SSHD do, and the protocol says); found out once, with two private temporary files in
	 * {@code directory}, then kept.
	 */
	private boolean renameRefusesToReplace(Lease lease, String directory) throws IOException {
		Boolean known = this.renameRefusesToReplace;
		if (known != null) {
			return known;
		}
		SftpClient sftp = lease.sftp();
		String source = directory + "/" + SftpMetadata.newTempName();
		String target = directory + "/" + SftpMetadata.newTempName();
		boolean refuses;
		try {
			RemoteFiles.writeNewFile(sftp, source, PROBE_BYTES);
			RemoteFiles.writeNewFile(sftp, target, new byte[0]);
			try {
				sftp.rename(source, target);
				refuses = false;
			}
			catch (SftpException ex) {
				Attributes kept = RemoteFiles.lstatOrNull(sftp, target);
				refuses = kept != null && kept.getSize() == 0 && RemoteFiles.lstatOrNull(sftp, source) != null;
			}
		}
		finally {
			RemoteFiles.removeQuietly(sftp, source);
			RemoteFiles.removeQuietly(sftp, target);
		}
		this.renameRefusesToReplace = refuses;
		return refuses;
	}

	/** The content of the private files that find out what a server does. */
	private static final byte[] PROBE_BYTES = "objectstorage probe\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	/** What is known of the server's hard links (for tests). */
	HardLinks hardLinks() {
		return this.hardLinks;
	}

	/** After a failed publication: the condition's error if the target exists now. */
	private static void checkAbsent(SftpClient sftp, String path, String file) throws IOException {
		if (RemoteFiles.statOrNull(sftp, file) != null) {
			throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
		}
	}

	/**
	 * Streams a write's content into its temporary file, one buffer at a time: each buffer is
	 * sent on the lease's worker, and the next one is requested when it is sent; the answers are
	 * awaited once the window of requests in flight is full, so a slow server slows the producer
	 * down. A buffer waits in the temporary file's queue until its turn; one whose turn never comes
	 * (the write was cancelled or failed) is released by the clean-up, which also takes the answers
	 * to the requests still in flight.
	 */
	private static final class Upload extends BaseSubscriber<DataBuffer> {

		private final Lease lease;

		private final TempFile temp;

		private final MonoSink<Void> sink;

		private final Context context;

		Upload(Lease lease, TempFile temp, MonoSink<Void> sink) {
			this.lease = lease;
			this.temp = temp;
			this.sink = sink;
			// the caller's context reaches the content (tracing, security, the caller's own keys), plus a
			// discard hook so that buffers the content's operators drop are released
			this.context = Operators.enableOnDiscard(Context.of(sink.contextView()), SftpBackend::release);
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(DataBuffer buffer) {
			this.temp.enqueue(buffer);
			this.lease.run(() -> {
				try {
					this.temp.writeNext();
				}
				catch (Throwable ex) {
					cancel();
					this.sink.error(ex);
					return;
				}
				request(1);
			}, this::refused);
		}

		@Override
		protected void hookOnComplete() {
			this.lease.run(this.sink::success, this::refused); // after the buffers queued before
		}

		/**
		 * The backend was closed: no task of this write will run any more, so nothing else would end
		 * it, release its queued buffers or stop its content.
		 */
		private void refused(Throwable error) {
			this.temp.abandon();
			cancel();
			this.sink.error(error);
		}

		@Override
		protected void hookOnError(Throwable error) {
			this.sink.error(error);
		}

	}

	private static void release(Object discarded) {
		if (discarded instanceof DataBuffer buffer) {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * The sidecar that a publication is about to replace, kept so that it can be put back if the data
	 * file then fails to move: a second name made with a hard link (removed when the lease is
	 * released), or, where there are no hard links, its bytes.
	 */
	private static final class SidecarBackup {

		private final String file;

		private final @Nullable String link;

		private final byte @Nullable [] bytes;

		private SidecarBackup(String file, @Nullable String link, byte @Nullable [] bytes) {
			this.file = file;
			this.link = link;
			this.bytes = bytes;
		}

		/** For a target without an object: a failure removes the new sidecar. */
		static SidecarBackup none(String file) {
			return new SidecarBackup(file, null, null);
		}

		/** Keeps the current sidecar of {@code file}, if it has one. */
		static SidecarBackup keep(SftpBackend backend, Lease lease, String file) throws IOException {
			String sidecar = SftpMetadata.sidecarOf(file);
			HardLinkExtension hardLink = lease.channel().hardLink();
			HardLinks known = backend.hardLinks;
			if (hardLink != null && known != HardLinks.FAKE) {
				String link = RemoteFiles.parent(file) + "/" + SftpMetadata.newTempName();
				try {
					hardLink.link(sidecar, link);
					lease.onRelease(() -> RemoteFiles.removeQuietly(lease.sftp(), link));
					// a link the server claims must be there before the sidecar counts as kept, until
					// links are known to be made
					if (known == HardLinks.WORK) {
						return new SidecarBackup(file, link, null);
					}
					if (RemoteFiles.lstatOrNull(lease.sftp(), link) != null) {
						backend.hardLinks = HardLinks.WORK;
						return new SidecarBackup(file, link, null);
					}
					// no link: no sidecar to link, or a server that answers OK and makes none; find out once
					backend.hardLinks = linksAreMade(lease, RemoteFiles.parent(file)) ? HardLinks.WORK
							: HardLinks.FAKE;
				}
				catch (SftpException ex) {
					// no sidecar, or a file system without hard links: read it instead
				}
			}
			return new SidecarBackup(file, null, RemoteFiles.readSmallFile(lease.sftp(), sidecar));
		}

		/** Puts the kept sidecar back, or removes the new one if there was none; best effort. */
		void restore(Lease lease, Throwable failure) {
			String sidecar = SftpMetadata.sidecarOf(this.file);
			try {
				if (this.link != null) {
					RemoteFiles.renameReplacing(lease.channel(), this.link, sidecar);
				}
				else if (this.bytes != null) {
					TempFile copy = TempFile.createWith(lease, this.file, this.bytes);
					RemoteFiles.renameReplacing(lease.channel(), copy.path, sidecar);
					copy.published = true;
				}
				else {
					RemoteFiles.removeQuietly(lease.sftp(), sidecar);
				}
			}
			catch (IOException | RuntimeException ex) {
				failure.addSuppressed(ex);
			}
		}

	}

	/** A write's temporary file, removed when the lease is released unless it was published. */
	private static final class TempFile {

		final String path;

		private final SftpClient sftp;

		private @Nullable CloseableHandle handle;

		/** Appends the content to the handle; {@code null} without a handle. */
		private final @Nullable RemoteWriter writer;

		volatile boolean published;

		/** Buffers handed over and not yet written. */
		private final java.util.Queue<DataBuffer> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();

		private volatile boolean cleanedUp;

		/** Set instead of a file when the write's condition failed before the upload. */
		final @Nullable StorageException failure;

		private TempFile(SftpClient sftp, String path, @Nullable CloseableHandle handle, @Nullable RemoteWriter writer,
				@Nullable StorageException failure) {
			this.sftp = sftp;
			this.path = path;
			this.handle = handle;
			this.writer = writer;
			this.failure = failure;
		}

		static TempFile failed(SftpClient sftp, StorageException failure) {
			return new TempFile(sftp, "", null, null, failure);
		}

		/**
		 * Opens a new temporary file next to {@code file}, creating the directories on the way.
		 * @param window the most write requests {@link #writeNext()} keeps in flight
		 */
		static TempFile create(Lease lease, String file, int window) throws IOException {
			SftpClient sftp = lease.sftp();
			String directory = RemoteFiles.parent(file);
			for (int attempt = 0;; attempt++) {
				String path = directory + "/" + SftpMetadata.newTempName();
				try {
					CloseableHandle handle = sftp.open(path, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive);
					TempFile temp = new TempFile(sftp, path, handle, new RemoteWriter(lease.channel(), handle, window),
							null);
					lease.onRelease(temp::cleanUp);
					return temp;
				}
				catch (SftpException ex) {
					if (!SftpErrors.isNotFound(ex)) {
						Attributes parent = RemoteFiles.statOrNull(sftp, directory);
						if (parent != null && !parent.isDirectory()) {
							throw new StorageException(ErrorKind.ALREADY_EXISTS, "An object is in the way of "
									+ directory + " (SFTP cannot hold both an object 'a' and an object 'a/b')");
						}
						throw ex;
					}
					if (attempt >= 5) {
						throw ex;
					}
					// a missing directory, or one that a concurrent delete pruned: make it (again)
					RemoteFiles.createDirectories(sftp, directory, "/");
				}
			}
		}

		/** Writes a small temporary file whole (a sidecar) next to {@code file}. */
		static TempFile createWith(Lease lease, String file, byte[] bytes) throws IOException {
			String path = RemoteFiles.parent(file) + "/" + SftpMetadata.newTempName();
			TempFile temp = new TempFile(lease.sftp(), path, null, null, null);
			lease.onRelease(temp::cleanUp);
			RemoteFiles.writeNewFileNextToOwn(lease.sftp(), path, bytes);
			return temp;
		}

		/** Queues a buffer for {@link #writeNext()}; released at once if the write is over. */
		void enqueue(DataBuffer buffer) {
			this.pending.add(buffer);
			if (this.cleanedUp) {
				releasePending();
			}
		}

		/**
		 * Appends the next queued buffer and releases it. Returns once its bytes are sent, before the
		 * server answers, unless the window of requests in flight is full.
		 */
		@Nullable Void writeNext() throws IOException {
			DataBuffer buffer = this.pending.poll();
			if (buffer == null) {
				return null;
			}
			try {
				Objects.requireNonNull(this.writer, "writer").write(buffer);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			return null;
		}

		/** Waits for the writes in flight, closes the file and returns its attributes. */
		Attributes finish() throws IOException {
			if (this.writer != null) {
				this.writer.flush();
			}
			CloseableHandle h = this.handle;
			if (h != null) {
				this.handle = null;
				h.close();
			}
			// rclone serve sftp (its VFS) may not show a file just closed for a moment under concurrent
			// writes: look again a few times before the write fails (it fails loudly if the file is gone)
			for (int attempt = 1;; attempt++) {
				try {
					return this.sftp.lstat(this.path);
				}
				catch (SftpException ex) {
					if (attempt >= 10 || !SftpErrors.isNotFound(ex)) {
						throw ex;
					}
					try {
						Thread.sleep(20L * attempt); // on the backend's own blocking scheduler
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						throw ex;
					}
				}
			}
		}

		/**
		 * Releases the queued buffers, and any handed over later, without touching the channel: for
		 * a write whose tasks can no longer run (the temporary file stays behind, best effort).
		 */
		void abandon() {
			this.cleanedUp = true;
			releasePending();
		}

		private void releasePending() {
			for (DataBuffer buffer = this.pending.poll(); buffer != null; buffer = this.pending.poll()) {
				DataBufferUtils.release(buffer);
			}
		}

		/**
		 * Releases the queued buffers, takes the answers to writes still in flight, closes and
		 * removes the file unless published.
		 * @throws IOException if the answers cannot be taken (the channel broke): after closing and
		 * removing what can be, so that the lease discards the channel
		 */
		void cleanUp() throws IOException {
			this.cleanedUp = true;
			releasePending();
			IOException broken = null;
			if (this.writer != null) {
				try {
					this.writer.drain();
				}
				catch (IOException ex) {
					broken = ex;
				}
			}
			CloseableHandle h = this.handle;
			if (h != null) {
				this.handle = null;
				try {
					h.close();
				}
				catch (IOException ex) {
					// the file is removed next
				}
			}
			if (!this.published) {
				RemoteFiles.removeQuietly(this.sftp, this.path);
			}
			if (broken != null) {
				throw broken;
			}
		}

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
			String file = file(lease, path);
			Attributes attributes = RemoteFiles.statOrNull(lease.sftp(), file);
			if (attributes == null || !attributes.isRegularFile()) {
				throw StorageException.notFound(Operation.STAT, path);
			}
			return metadata(lease, path, file, attributes);
		});
	}

	/** The metadata of an object file, with its sidecar if it has a matching one. */
	private ObjectMetadata metadata(Lease lease, String path, String file, Attributes attributes) throws IOException {
		SftpMetadata.Stored stored = null;
		if (this.settings.metadata()) {
			stored = SftpMetadata.parse(RemoteFiles.readSmallFile(lease.sftp(), SftpMetadata.sidecarOf(file)));
		}
		return SftpMetadata.metadata(path, attributes, stored);
	}

	@Override
	public Mono<Void> delete(String path) {
		return call(Operation.DELETE, path, (lease) -> {
			SftpClient sftp = lease.sftp();
			String file = file(lease, path);
			ReentrantLock lock = lockFor(file);
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
		return new SftpLister(this::children, prefix, options).list()
			.onErrorMap((ex) -> SftpErrors.map(ex, Operation.LIST, prefix));
	}

	/** The visible children of one directory (relative path ending in '/', or ""), sorted in {@link PathOrder}. */
	private Mono<List<SftpLister.Child>> children(String directoryPath, String namePrefix) {
		return call(Operation.LIST, directoryPath + namePrefix, (lease) -> {
			SftpClient sftp = lease.sftp();
			String root = lease.channel().root();
			String base = root.equals("/") ? "" : root;
			String directory = directoryPath.isEmpty() ? root
					: base + "/" + directoryPath.substring(0, directoryPath.length() - 1);
			CloseableHandle handle;
			try {
				handle = sftp.openDir(directory);
			}
			catch (SftpException ex) {
				Attributes attributes = SftpErrors.isNotFound(ex) ? null : RemoteFiles.statOrNull(sftp, directory);
				if (attributes == null || !attributes.isDirectory()) {
					return List.<SftpLister.Child>of(); // nothing there, or an object: nothing below
				}
				throw ex;
			}
			List<SftpLister.Child> children = new ArrayList<>();
			try (handle) {
				for (List<DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
					for (DirEntry entry : batch) {
						String name = entry.getFilename();
						if (name.equals(".") || name.equals("..") || SftpMetadata.isReserved(name)
								|| !name.startsWith(namePrefix)) {
							continue;
						}
						Attributes attributes = entry.getAttributes();
						if (attributes.isSymbolicLink()) {
							attributes = RemoteFiles.statOrNull(sftp, directory + "/" + name);
							if (attributes == null) {
								continue; // a dangling link
							}
						}
						if (attributes.isDirectory()) {
							children.add(SftpLister.Child.directory(directoryPath + name));
						}
						else if (attributes.isRegularFile()) {
							children.add(SftpLister.Child.object(directoryPath + name, attributes.getSize(),
									RemoteFiles.seconds(attributes)));
						}
					}
				}
			}
			children.sort((a, b) -> PathOrder.compare(a.sortKey(), b.sortKey()));
			return children;
		});
	}

	// ---------------------------------------------------------------- sweep of temporary files

	/**
	 * Removes the temporary files of writes (files named exactly as {@link SftpMetadata#newTempName()}
	 * names them) older than {@code maxAge} anywhere under the root, one directory at a time, each
	 * read borrowing a channel for itself only; symbolic links are not followed, sidecars and objects
	 * never touched. Best effort: a directory that cannot be read or a file that cannot be removed is
	 * skipped.
	 * @param maxAge how old a temporary file must be (by its modification time) to be removed
	 * @return the number of files removed
	 */
	Mono<Integer> sweepTemporaryFiles(Duration maxAge) {
		return Mono.defer(() -> {
			long cutoff = Instant.now().minus(maxAge).getEpochSecond();
			return sweepDirectory("", cutoff).reduce(0, Integer::sum);
		});
	}

	/** Sweeps one directory (relative path ending in '/', or "") and then, depth first, those below. */
	private Flux<Integer> sweepDirectory(String directoryPath, long cutoff) {
		return withLease((lease) -> lease.call(() -> sweepOne(lease, directoryPath, cutoff)))
			.onErrorResume((ex) -> Mono.empty())
			.flatMapMany((swept) -> Flux.just(swept.removed())
				.concatWith(Flux.fromIterable(swept.directories()).concatMap((d) -> sweepDirectory(d, cutoff))));
	}

	private Swept sweepOne(Lease lease, String directoryPath, long cutoff) throws IOException {
		SftpClient sftp = lease.sftp();
		String root = lease.channel().root();
		String base = root.equals("/") ? "" : root;
		String directory = directoryPath.isEmpty() ? root
				: base + "/" + directoryPath.substring(0, directoryPath.length() - 1);
		List<String> directories = new ArrayList<>();
		List<String> old = new ArrayList<>();
		try (CloseableHandle handle = sftp.openDir(directory)) {
			for (List<DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
				for (DirEntry entry : batch) {
					String name = entry.getFilename();
					Attributes attributes = entry.getAttributes();
					if (name.equals(".") || name.equals("..") || attributes.isSymbolicLink()) {
						continue;
					}
					if (attributes.isDirectory()) {
						if (!SftpMetadata.isReserved(name)) {
							directories.add(directoryPath + name + "/");
						}
					}
					else if (attributes.isRegularFile() && SftpMetadata.isTempName(name)
							&& attributes.getModifyTime() != null && RemoteFiles.seconds(attributes) < cutoff) {
						old.add((directory.equals("/") ? "" : directory) + "/" + name);
					}
				}
			}
		}
		int removed = 0;
		for (String file : old) {
			try {
				sftp.remove(file);
				removed++;
			}
			catch (IOException ex) {
				// gone meanwhile, or not ours to remove: best effort
			}
		}
		directories.sort(null);
		return new Swept(removed, directories);
	}

	/** What sweeping one directory did, and the directories below it. */
	private record Swept(int removed, List<String> directories) {
	}

	// ---------------------------------------------------------------- copy, rename

	/**
	 * Copies in one blocking task on the channel's worker. A cancel cannot interrupt that task, so
	 * the task looks at a flag between chunks and before publishing: a cancelled copy stops, never
	 * publishes, and its temporary file goes in the lease's clean-up.
	 */
	@Override
	public Mono<Void> copy(String source, String target) {
		return Mono.defer(() -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			return copy(source, target, cancelled).doOnCancel(() -> cancelled.set(true));
		});
	}

	private Mono<Void> copy(String source, String target, AtomicBoolean cancelled) {
		return call(Operation.COPY, source, (lease) -> {
			SftpClient sftp = lease.sftp();
			String from = file(lease, source);
			String to = file(lease, target);
			Attributes attributes = RemoteFiles.statOrNull(sftp, from);
			if (attributes == null || !attributes.isRegularFile()) {
				throw StorageException.notFound(Operation.COPY, source);
			}
			SftpMetadata.Stored stored = null;
			if (this.settings.metadata()) {
				stored = SftpMetadata.parse(RemoteFiles.readSmallFile(sftp, SftpMetadata.sidecarOf(from)));
			}
			WriteOptions options = WriteOptions.defaults();
			if (stored != null && stored.describes(attributes)) {
				options = options.withContentType(stored.contentType())
					.withCacheControl(stored.cacheControl())
					.withContentDisposition(stored.contentDisposition())
					.withUserMetadata(stored.userMetadata());
			}
			CloseableHandle in = sftp.open(from, OpenMode.Read);
			lease.onRelease(in::close);
			TempFile temp = TempFile.create(lease, to, 1); // written with sftp.write below, one request at a time
			byte[] chunk = new byte[this.settings.readChunkSize()];
			long offset = 0;
			for (int n = sftp.read(in, offset, chunk, 0, chunk.length); n >= 0; n = sftp.read(in, offset, chunk, 0,
					chunk.length)) {
				checkNotCancelled(cancelled, source);
				sftp.write(temp.handle, offset, chunk, 0, n);
				offset += n;
			}
			checkNotCancelled(cancelled, source);
			publish(lease, target, temp, SftpMetadata.of(options), options);
			return null;
		});
	}

	/** Stops a copy whose subscriber went away: nobody waits for it, and it must not publish. */
	private static void checkNotCancelled(AtomicBoolean cancelled, String source) {
		if (cancelled.get()) {
			throw new StorageException(ErrorKind.UNEXPECTED, "The copy of " + source + " was cancelled");
		}
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return call(Operation.RENAME, source, (lease) -> {
			SftpClient sftp = lease.sftp();
			String from = file(lease, source);
			String to = file(lease, target);
			Attributes attributes = RemoteFiles.statOrNull(sftp, from);
			if (attributes == null || !attributes.isRegularFile()) {
				throw StorageException.notFound(Operation.RENAME, source);
			}
			RemoteFiles.createDirectories(sftp, RemoteFiles.parent(to), "/");
			ReentrantLock lock = lockFor(to);
			lock.lock();
			try {
				Attributes current = RemoteFiles.lstatOrNull(sftp, to);
				if (current != null && current.isDirectory()) {
					throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + target);
				}
				SidecarBackup old = null;
				boolean sidecarMoved = false;
				if (this.settings.metadata()) {
					// as in publish: the target's sidecar stays restorable until the data is renamed
					old = (current != null) ? SidecarBackup.keep(this, lease, to) : SidecarBackup.none(to);
					try {
						RemoteFiles.renameReplacing(lease.channel(), SftpMetadata.sidecarOf(from),
								SftpMetadata.sidecarOf(to));
						sidecarMoved = true;
					}
					catch (SftpException ex) {
						if (!SftpErrors.isNotFound(ex)) {
							throw ex;
						}
						RemoteFiles.removeQuietly(sftp, SftpMetadata.sidecarOf(to)); // the source had none
					}
				}
				try {
					RemoteFiles.renameReplacing(lease.channel(), from, to);
				}
				catch (IOException | RuntimeException ex) {
					if (sidecarMoved) {
						try {
							RemoteFiles.renameReplacing(lease.channel(), SftpMetadata.sidecarOf(to),
									SftpMetadata.sidecarOf(from));
						}
						catch (IOException | RuntimeException undo) {
							ex.addSuppressed(undo);
						}
					}
					if (old != null) {
						old.restore(lease, ex);
					}
					throw ex;
				}
			}
			finally {
				lock.unlock();
			}
			RemoteFiles.pruneEmptyDirectories(sftp, RemoteFiles.parent(from), lease.channel().root());
			return null;
		});
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
