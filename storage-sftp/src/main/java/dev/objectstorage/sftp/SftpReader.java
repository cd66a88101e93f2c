package dev.objectstorage.sftp;

import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.Ranges;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.Contents;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The sftp backend's reads: opens a file on a borrowed channel and streams it with a
 * {@link RemoteReader}, checking each window of answers on servers that do not keep the version an
 * open handle opened.
 */
final class SftpReader {

	private final SftpCore core;

	private final SftpSettings settings;

	/**
	 * Whether reads through an open file handle keep reading the version opened when the file is
	 * replaced, or {@code null} until found out (by the first read).
	 */
	private volatile @Nullable Boolean handlesKeepVersion;

	SftpReader(SftpCore core) {
		this.core = core;
		this.settings = core.settings();
	}

	/**
	 * Borrows a channel, opens the file and reads the metadata of the file opened. The content holds
	 * the channel (and the open handle) until its body ends, fails or is cancelled, or until it is
	 * released unread; an open that fails, or is cancelled before it emits, gives the channel back.
	 */
	Mono<ObjectContent> open(String path, ReadOptions options) {
		return Mono.defer(() -> {
			// The last word between the content and a cancel, taken by the outermost operator, where
			// the subscriber's cancel arrives first. The open's own guard (below) is not enough: a
			// content that passed it still has operators to cross (flatMap's inner and main, the
			// discard hook, the error mapping), and a cancel that overtakes it there reaches a
			// cancel handler that has given up the lease already, and the subscriber then drops the
			// content (Reactor's lambda subscriber drops a value that comes after its dispose: the
			// channel was lost). A cancel can also miss the open altogether, when it races the lease's
			// arrival in flatMap, whose cancel gives up when the inner subscription is set meanwhile
			// (MonoFlatMap.FlatMapMain.cancel): the content then comes here, and is released here.
			// What is left is the subscriber's own race between its cancel and the content it was sent
			AtomicBoolean settled = new AtomicBoolean();
			return this.core.connector()
				.acquire()
				.flatMap((lease) -> open(lease, path, options))
				// a content the open emits after a cancel (MonoCreate discards it)
				.doOnDiscard(ObjectContent.class, ObjectContent::release)
				.onErrorMap((ex) -> SftpErrors.map(ex, Operation.READ, path))
				// runs before the cancel goes up, so a content on its way up to here is released below
				.doOnCancel(() -> settled.set(true))
				.<ObjectContent>handle((content, sink) -> {
					if (settled.compareAndSet(false, true)) {
						sink.next(content);
					}
					else {
						content.release();
					}
				});
		});
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
		String file = SftpCore.file(lease, path);
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
		ObjectMetadata metadata = this.core.metadata(lease, path, file, attributes);
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
				this.settings.requestsInFlight(), this.core.bufferFactory(), check);
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

}
