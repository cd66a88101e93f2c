package dev.objectstorage.autoconfigure.fs;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of a storage in a local directory.
 * <p>
 * Bound for each storage of type {@code fs}: under {@code storage.fs.*} for the storage configured
 * under {@code storage.*}, under {@code storage.instances.<name>.fs.*} for a named one (the
 * annotation gives the configuration metadata its {@code storage.fs.*} keys).
 */
@ConfigurationProperties(FsStorageProperties.PREFIX)
public class FsStorageProperties {

	/** The prefix of these properties for the storage configured under {@code storage.*}. */
	public static final String PREFIX = "storage.fs";

	/**
	 * Directory that holds the objects. Nothing outside it is ever read or written.
	 */
	private @Nullable Path root;

	/**
	 * Whether to create the root directory if it does not exist.
	 */
	private boolean createRoot = true;

	/**
	 * Whether every write forces its data to disk before it completes (durable across power
	 * loss, and much slower).
	 */
	private boolean fsync;

	/**
	 * Size of the buffers that reads emit.
	 */
	private DataSize bufferSize = DataSize.ofKilobytes(64);

	/**
	 * Reads of at least this size map the file into memory instead of copying it into buffers
	 * (one copy less); 0 never maps.
	 */
	private DataSize mmapThreshold = DataSize.ofKilobytes(128);

	/**
	 * Temporary files of writes older than this are leftovers of a process that died mid-write and
	 * are deleted by a sweep in the background after start; 0 turns the sweep off.
	 */
	private Duration tempMaxAge = Duration.ofHours(24);

	/**
	 * Whether a read's open and a stat run on the calling thread also when it is an event loop (as
	 * Spring's static resource handler does) instead of moving to a worker thread and back: two
	 * thread hand-offs less per download. Only for a local disk, where opening a file never waits
	 * for a network; the bytes of streamed reads and all writes still leave the event loop.
	 */
	private boolean openOnEventLoop;

	public @Nullable Path getRoot() {
		return this.root;
	}

	public void setRoot(@Nullable Path root) {
		this.root = root;
	}

	public boolean isCreateRoot() {
		return this.createRoot;
	}

	public void setCreateRoot(boolean createRoot) {
		this.createRoot = createRoot;
	}

	public boolean isFsync() {
		return this.fsync;
	}

	public void setFsync(boolean fsync) {
		this.fsync = fsync;
	}

	public DataSize getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(DataSize bufferSize) {
		this.bufferSize = bufferSize;
	}

	public DataSize getMmapThreshold() {
		return this.mmapThreshold;
	}

	public void setMmapThreshold(DataSize mmapThreshold) {
		this.mmapThreshold = mmapThreshold;
	}

	public Duration getTempMaxAge() {
		return this.tempMaxAge;
	}

	public void setTempMaxAge(Duration tempMaxAge) {
		this.tempMaxAge = tempMaxAge;
	}

	public boolean isOpenOnEventLoop() {
		return this.openOnEventLoop;
	}

	public void setOpenOnEventLoop(boolean openOnEventLoop) {
		this.openOnEventLoop = openOnEventLoop;
	}

}
