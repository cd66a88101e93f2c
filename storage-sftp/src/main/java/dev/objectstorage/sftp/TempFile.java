package dev.objectstorage.sftp;

import java.io.IOException;
import java.util.Objects;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/** A write's temporary file, removed when the lease is released unless it was published. */
final class TempFile {

	final String path;

	private final SftpClient sftp;

	/** The open file; a copy writes to it directly. */
	@Nullable CloseableHandle handle;

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
		// writes: look again for about 5 s before the write fails (it fails loudly if the file is gone)
		for (int attempt = 1;; attempt++) {
			try {
				return this.sftp.lstat(this.path);
			}
			catch (SftpException ex) {
				if (attempt >= RemoteFiles.BLIND_ATTEMPTS || !SftpErrors.isNotFound(ex)) {
					SftpException named = new SftpException(ex.getStatus(),
							"looking at the written temporary file " + RemoteFiles.name(this.path) + ": " + ex.getMessage());
					named.initCause(ex);
					throw named;
				}
				RemoteFiles.pause(attempt, ex); // on the backend's own blocking scheduler
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
