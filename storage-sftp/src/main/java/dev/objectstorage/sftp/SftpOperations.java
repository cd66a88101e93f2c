package dev.objectstorage.sftp;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpException;
import reactor.core.publisher.Mono;

/**
 * The sftp backend's copy (streamed through the client into a temporary file, then published) and
 * rename (of the data and sidecar files).
 */
final class SftpOperations {

	private final SftpCore core;

	private final SftpSettings settings;

	private final SftpPublisher publisher;

	SftpOperations(SftpCore core, SftpPublisher publisher) {
		this.core = core;
		this.settings = core.settings();
		this.publisher = publisher;
	}

	/**
	 * Copies in one blocking task on the channel's worker. A cancel cannot interrupt that task, so
	 * the task looks at a flag between chunks and before publishing: a cancelled copy stops, never
	 * publishes, and its temporary file goes in the lease's clean-up.
	 */
	Mono<Void> copy(String source, String target) {
		return Mono.defer(() -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			return copy(source, target, cancelled).doOnCancel(() -> cancelled.set(true));
		});
	}

	private Mono<Void> copy(String source, String target, AtomicBoolean cancelled) {
		return this.core.call(Operation.COPY, source, (lease) -> {
			SftpClient sftp = lease.sftp();
			String from = SftpCore.file(lease, source);
			String to = SftpCore.file(lease, target);
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
			this.publisher.publish(lease, target, temp, SftpMetadata.of(options), options);
			return null;
		});
	}

	/** Stops a copy whose subscriber went away: nobody waits for it, and it must not publish. */
	private static void checkNotCancelled(AtomicBoolean cancelled, String source) {
		if (cancelled.get()) {
			throw new StorageException(ErrorKind.UNEXPECTED, "The copy of " + source + " was cancelled");
		}
	}

	Mono<Void> rename(String source, String target) {
		return this.core.call(Operation.RENAME, source, (lease) -> {
			SftpClient sftp = lease.sftp();
			String from = SftpCore.file(lease, source);
			String to = SftpCore.file(lease, target);
			Attributes attributes = RemoteFiles.statOrNull(sftp, from);
			if (attributes == null || !attributes.isRegularFile()) {
				throw StorageException.notFound(Operation.RENAME, source);
			}
			RemoteFiles.createDirectories(sftp, RemoteFiles.parent(to), "/");
			ReentrantLock lock = SftpCore.lockFor(to);
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
					old = (current != null) ? SidecarBackup.keep(this.publisher, lease, to) : SidecarBackup.none(to);
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

}
