package dev.objectstorage.sftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * Blocking helpers over one SFTP channel, for the tasks SFTP has no single request for: creating a
 * directory tree, renaming over an existing file, reading and writing a small file whole.
 */
final class RemoteFiles {

	/** The largest sidecar file read whole. */
	private static final int SMALL_FILE_LIMIT = 256 * 1024;

	private RemoteFiles() {
	}

	/** The attributes of a path, following links, or {@code null} if nothing is there. */
	static @Nullable Attributes statOrNull(SftpClient sftp, String path) throws IOException {
		try {
			return sftp.stat(path);
		}
		catch (SftpException ex) {
			if (SftpErrors.isNotFound(ex)) {
				return null;
			}
			throw ex;
		}
	}

	/** The attributes of a path itself (a link is not followed), or {@code null} if nothing is there. */
	static @Nullable Attributes lstatOrNull(SftpClient sftp, String path) throws IOException {
		try {
			return sftp.lstat(path);
		}
		catch (SftpException ex) {
			if (SftpErrors.isNotFound(ex)) {
				return null;
			}
			throw ex;
		}
	}

	/** The modification time in whole seconds (all SFTP version 3 carries). */
	static long seconds(Attributes attributes) {
		FileTime time = attributes.getModifyTime();
		return (time != null) ? time.to(TimeUnit.SECONDS) : 0;
	}

	/**
	 * Creates a directory and its missing parents, up to (not including) {@code stopAt}. A
	 * directory created meanwhile by someone else is fine; a file in the way is an
	 * {@link ErrorKind#ALREADY_EXISTS} error.
	 */
	static void createDirectories(SftpClient sftp, String directory, String stopAt) throws IOException {
		if (directory.equals(stopAt) || directory.isEmpty() || directory.equals("/")) {
			return;
		}
		try {
			sftp.mkdir(directory);
			return;
		}
		catch (SftpException ex) {
			if (SftpErrors.isNotFound(ex)) {
				createDirectories(sftp, parent(directory), stopAt);
				mkdirIfAbsent(sftp, directory);
				return;
			}
			checkDirectory(sftp, directory, ex);
		}
	}

	private static void mkdirIfAbsent(SftpClient sftp, String directory) throws IOException {
		try {
			sftp.mkdir(directory);
		}
		catch (SftpException ex) {
			checkDirectory(sftp, directory, ex);
		}
	}

	/** After a failed mkdir (OpenSSH answers a plain failure when it exists): fine if a directory is there. */
	private static void checkDirectory(SftpClient sftp, String directory, SftpException failure) throws IOException {
		Attributes attributes = statOrNull(sftp, directory);
		if (attributes == null) {
			throw failure;
		}
		if (!attributes.isDirectory()) {
			throw new StorageException(ErrorKind.ALREADY_EXISTS, "An object is in the way of the directory "
					+ directory + " (SFTP cannot hold both an object 'a' and an object 'a/b')");
		}
	}

	/**
	 * Removes the empty directories from {@code directory} upwards, stopping at the first that is
	 * not empty and never removing {@code root}. Deletes call it, so that no empty "directory"
	 * stays behind when its last object goes (object stores have no directories).
	 */
	static void pruneEmptyDirectories(SftpClient sftp, String directory, String root) {
		for (String dir = directory; dir.length() > root.length() && dir.startsWith(root); dir = parent(dir)) {
			try {
				sftp.rmdir(dir);
			}
			catch (IOException ex) {
				return; // not empty, or gone: stop
			}
		}
	}

	/** Removes a file; a missing one is fine, any other failure is ignored (best effort). */
	static void removeQuietly(SftpClient sftp, String path) {
		try {
			sftp.remove(path);
		}
		catch (IOException ex) {
			// best effort: hidden files never show in listings
		}
	}

	/** Reads a small file whole, or returns {@code null} if it does not exist. */
	static byte @Nullable [] readSmallFile(SftpClient sftp, String path) throws IOException {
		CloseableHandle handle;
		try {
			handle = sftp.open(path, OpenMode.Read);
		}
		catch (SftpException ex) {
			if (SftpErrors.isNotFound(ex)) {
				return null;
			}
			throw ex;
		}
		try (handle) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(512);
			byte[] chunk = new byte[8192];
			long offset = 0;
			while (offset < SMALL_FILE_LIMIT) {
				int n = sftp.read(handle, offset, chunk, 0, chunk.length);
				if (n < 0) {
					break;
				}
				out.write(chunk, 0, n);
				offset += n;
			}
			return out.toByteArray();
		}
	}

	/** Creates a new file (it must not exist) with the given bytes. */
	static void writeNewFile(SftpClient sftp, String path, byte[] bytes) throws IOException {
		try (CloseableHandle handle = sftp.open(path, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
			sftp.write(handle, 0, bytes, 0, bytes.length);
		}
	}

	/**
	 * Renames a file onto a path, replacing what is there: atomically with the
	 * {@code posix-rename@openssh.com} extension (a plain SFTP version 3 rename fails when the target
	 * exists). Without the extension the target is removed first, and readers may briefly find
	 * nothing there.
	 */
	static void renameReplacing(SftpConnector.Channel channel, String source, String target) throws IOException {
		SftpClient sftp = channel.sftp;
		if (channel.hasPosixRename()) {
			sftp.getExtension(org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension.class)
				.posixRename(source, target);
			return;
		}
		try {
			sftp.rename(source, target);
		}
		catch (SftpException ex) {
			if (statOrNull(sftp, target) == null) {
				throw ex;
			}
			sftp.remove(target);
			sftp.rename(source, target);
		}
	}

	/**
	 * {@link #renameReplacing} for a write's own temporary file, which nobody else renames or
	 * removes: where the server answers that it does not exist while it does (rclone's
	 * {@code serve sftp} may, for a file closed a moment ago while other files of the directory are
	 * written), the rename is tried again, for about 5 s (see {@link #BLIND_ATTEMPTS}). A failure names the step, so that a report says which request
	 * the server refused.
	 */
	static void publishRenaming(SftpConnector.Channel channel, String source, String target) throws IOException {
		for (int attempt = 1;; attempt++) {
			try {
				renameReplacing(channel, source, target);
				return;
			}
			catch (SftpException ex) {
				if (attempt >= BLIND_ATTEMPTS || !SftpErrors.isNotFound(ex) || lstatOrNull(channel.sftp, source) == null) {
					SftpException named = new SftpException(ex.getStatus(),
							"renaming the written temporary file " + name(source) + " into place: " + ex.getMessage());
					named.initCause(ex);
					throw named;
				}
				pause(attempt, ex);
			}
		}
	}

	/**
	 * Writes a new small file whole, next to a file of the same write that exists: a
	 * {@code NO_SUCH_FILE} answer can only be the server's momentary blindness (see
	 * {@link #publishRenaming}), so the write is tried again, for about 5 s (see {@link #BLIND_ATTEMPTS}).
	 */
	static void writeNewFileNextToOwn(SftpClient sftp, String path, byte[] bytes) throws IOException {
		for (int attempt = 1;; attempt++) {
			try {
				writeNewFile(sftp, path, bytes);
				return;
			}
			catch (SftpException ex) {
				if (attempt >= BLIND_ATTEMPTS || !SftpErrors.isNotFound(ex)) {
					SftpException named = new SftpException(ex.getStatus(),
							"writing the temporary file " + name(path) + ": " + ex.getMessage());
					named.initCause(ex);
					throw named;
				}
				removeQuietly(sftp, path);
				pause(attempt, ex);
			}
		}
	}

	/**
	 * How many times a step on a file of the write's own is tried while the server says it is not
	 * there: with {@link #pause}, about 5 s in all (rclone's serve sftp was seen to take more than
	 * a second to show a file just closed on a busy machine).
	 */
	static final int BLIND_ATTEMPTS = 30;

	/** Waits before the next try: 20 ms more each time, at most 200 ms (on the blocking scheduler). */
	static void pause(int attempt, SftpException ex) throws SftpException {
		try {
			Thread.sleep(Math.min(200L, 20L * attempt));
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	/** The parent of an absolute path ({@code /} for a top-level one). */
	static String parent(String path) {
		int slash = path.lastIndexOf('/');
		return (slash <= 0) ? "/" : path.substring(0, slash);
	}

	/** The last segment of a path. */
	static String name(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}

}
