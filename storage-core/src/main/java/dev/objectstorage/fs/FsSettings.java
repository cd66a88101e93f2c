package dev.objectstorage.fs;

import java.nio.file.Path;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;

/**
 * Settings of a {@link FsBackend}.
 *
 * @param root the directory that holds the objects; nothing outside it is ever touched
 * @param createRoot whether to create the root directory if it does not exist
 * @param fsync whether a write forces its data and directory entry to disk before it completes
 * (durable across power loss, and much slower)
 * @param bufferSize the size of the buffers a read emits, in bytes
 * @param mmapThreshold reads of at least this many bytes map the file into memory and emit views of
 * the mapping instead of copying into buffers (one copy less; the mapping is released by the garbage
 * collector); {@code 0} never maps
 */
public record FsSettings(Path root, boolean createRoot, boolean fsync, int bufferSize, long mmapThreshold) {

	/** Default read buffer size. */
	public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

	/** Default size from which reads map the file: 128 KiB. */
	public static final long DEFAULT_MMAP_THRESHOLD = 128 * 1024;

	public FsSettings {
		if (root == null) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "root must not be null");
		}
		if (bufferSize <= 0) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "bufferSize must be positive, was " + bufferSize);
		}
		if (mmapThreshold < 0) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"mmapThreshold must be 0 (never map) or positive, was " + mmapThreshold);
		}
	}

	/**
	 * Settings for the given root: created if missing, no fsync, 64 KiB buffers.
	 * @param root the root directory
	 * @return the settings
	 */
	public static FsSettings of(Path root) {
		return new FsSettings(root, true, false, DEFAULT_BUFFER_SIZE, DEFAULT_MMAP_THRESHOLD);
	}

	public FsSettings withFsync(boolean fsync) {
		return new FsSettings(this.root, this.createRoot, fsync, this.bufferSize, this.mmapThreshold);
	}

	public FsSettings withCreateRoot(boolean createRoot) {
		return new FsSettings(this.root, createRoot, this.fsync, this.bufferSize, this.mmapThreshold);
	}

	public FsSettings withBufferSize(int bufferSize) {
		return new FsSettings(this.root, this.createRoot, this.fsync, bufferSize, this.mmapThreshold);
	}

	public FsSettings withMmapThreshold(long mmapThreshold) {
		return new FsSettings(this.root, this.createRoot, this.fsync, this.bufferSize, mmapThreshold);
	}

}
