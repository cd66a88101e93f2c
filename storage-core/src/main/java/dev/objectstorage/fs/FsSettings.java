package dev.objectstorage.fs;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param tempMaxAge temporary files of writes ({@code .os-tmp-*}) older than this are left over from a
 * process that died mid-write: a sweep in the background after start deletes them; {@link Duration#ZERO}
 * turns the sweep off
 */
public record FsSettings(Path root, boolean createRoot, boolean fsync, int bufferSize, long mmapThreshold,
		Duration tempMaxAge) {

	/** Default age from which a temporary file is a leftover: 24 hours. */
	public static final Duration DEFAULT_TEMP_MAX_AGE = Duration.ofHours(24);

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
		if (tempMaxAge == null || tempMaxAge.isNegative()) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"tempMaxAge must be 0 (no sweep) or positive, was " + tempMaxAge);
		}
	}

	/**
	 * Settings for the given root: created if missing, no fsync, 64 KiB buffers.
	 * @param root the root directory
	 * @return the settings
	 */
	public static FsSettings of(Path root) {
		return new FsSettings(root, true, false, DEFAULT_BUFFER_SIZE, DEFAULT_MMAP_THRESHOLD, DEFAULT_TEMP_MAX_AGE);
	}

	public FsSettings withFsync(boolean fsync) {
		return new FsSettings(this.root, this.createRoot, fsync, this.bufferSize, this.mmapThreshold, this.tempMaxAge);
	}

	public FsSettings withCreateRoot(boolean createRoot) {
		return new FsSettings(this.root, createRoot, this.fsync, this.bufferSize, this.mmapThreshold, this.tempMaxAge);
	}

	public FsSettings withBufferSize(int bufferSize) {
		return new FsSettings(this.root, this.createRoot, this.fsync, bufferSize, this.mmapThreshold, this.tempMaxAge);
	}

	public FsSettings withTempMaxAge(Duration tempMaxAge) {
		return new FsSettings(this.root, this.createRoot, this.fsync, this.bufferSize, this.mmapThreshold, tempMaxAge);
	}

	public FsSettings withMmapThreshold(long mmapThreshold) {
		return new FsSettings(this.root, this.createRoot, this.fsync, this.bufferSize, mmapThreshold, this.tempMaxAge);
	}

}
