package dev.objectstorage.sftp;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.sshd.sftp.client.SftpClient;
import org.jspecify.annotations.Nullable;

/**
 * The backend's root directory on the server: the configured root made absolute (a relative one
 * is below the login's home directory), checked to be a directory, and created if missing when the
 * settings allow it. Resolved once, over the first channel that opens.
 */
final class SftpRoot {

	private final SftpSettings settings;

	private final String target;

	/**
	 * Serialises resolving the root (network I/O): a lock of its own, not the connector's monitor,
	 * so that returning a channel never waits for it. Only the scheduler's threads take it.
	 */
	private final ReentrantLock lock = new ReentrantLock();

	private volatile @Nullable String root;

	/**
	 * The root of a backend.
	 * @param settings the settings
	 * @param target the server, for messages
	 */
	SftpRoot(SftpSettings settings, String target) {
		this.settings = settings;
		this.target = target;
	}

	/** Whether the root was resolved. */
	boolean isResolved() {
		return this.root != null;
	}

	/** Resolves the root to an absolute path, creating it if allowed; once per backend. */
	void resolve(SftpClient sftp) throws IOException {
		this.lock.lock();
		try {
			if (this.root == null) {
				this.root = find(sftp);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private String find(SftpClient sftp) throws IOException {
		String configured = this.settings.root();
		String path;
		if (configured.startsWith("/")) {
			path = configured;
		}
		else {
			String home = sftp.canonicalPath(".");
			path = configured.isEmpty() ? home : (home.endsWith("/") ? home : home + "/") + configured;
		}
		SftpClient.Attributes attributes = RemoteFiles.statOrNull(sftp, path);
		if (attributes == null) {
			if (!this.settings.createRoot()) {
				throw new StorageException(ErrorKind.CONFIG_INVALID, "The SFTP root directory " + path + " on "
						+ this.target + " does not exist (create it, or allow creating it with createRoot)");
			}
			RemoteFiles.createDirectories(sftp, path, "/");
		}
		else if (!attributes.isDirectory()) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"The SFTP root " + path + " on " + this.target + " is not a directory (point root at a directory)");
		}
		return path;
	}

	/**
	 * The absolute root directory on the server, known once a channel was opened.
	 * @return the root
	 */
	String get() {
		String r = this.root;
		if (r == null) {
			throw new IllegalStateException("the root is resolved when the first channel opens");
		}
		return r;
	}

}
