package dev.objectstorage.fs;

import java.nio.file.Path;
import java.time.Duration;

import dev.objectstorage.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link FsBackend}. Immutable and validated when built: an invalid value fails with an
 * {@link InvalidSettingException} that names the setting.
 * <pre>{@code
 * FsSettings settings = FsSettings.builder().root(Path.of("/var/lib/files")).fsync(true).build();
 * }</pre>
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
 * @param openOnEventLoop whether a read's open and a stat run on the calling thread also when it is an
 * event loop (as Spring's static resource handler does), instead of moving to Reactor's
 * bounded-elastic scheduler and back: two thread hand-offs less per download, which is most of the
 * cost of serving a small file. Only for a local disk, where an open waits for no network: a stalled
 * open blocks every connection of that event loop. The bytes of a streamed read, writes, lists and
 * deletes always leave the event loop.
 */
public record FsSettings(Path root, boolean createRoot, boolean fsync, int bufferSize, long mmapThreshold,
		Duration tempMaxAge, boolean openOnEventLoop) {

	/** Default age from which a temporary file is a leftover: 24 hours. */
	public static final Duration DEFAULT_TEMP_MAX_AGE = Duration.ofHours(24);

	/** Default read buffer size. */
	public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

	/** Default size from which reads map the file: 128 KiB. */
	public static final long DEFAULT_MMAP_THRESHOLD = 128 * 1024;

	private static final String OWNER = "fs";

	public FsSettings {
		if (root == null) {
			throw new InvalidSettingException(OWNER, "root", "must be set");
		}
		if (bufferSize <= 0) {
			throw new InvalidSettingException(OWNER, "bufferSize", "must be positive, was " + bufferSize);
		}
		if (mmapThreshold < 0) {
			throw new InvalidSettingException(OWNER, "mmapThreshold",
					"must be 0 (never map) or positive, was " + mmapThreshold);
		}
		if (tempMaxAge == null || tempMaxAge.isNegative()) {
			throw new InvalidSettingException(OWNER, "tempMaxAge", "must be 0 (no sweep) or positive, was " + tempMaxAge);
		}
	}

	/**
	 * A builder with the defaults: root created if missing, no fsync, 64 KiB buffers, reads of
	 * 128 KiB or more mapped, temporary files older than 24 hours swept at start.
	 * @return a new builder; {@link Builder#root(Path)} is required
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.root = this.root;
		builder.createRoot = this.createRoot;
		builder.fsync = this.fsync;
		builder.bufferSize = this.bufferSize;
		builder.mmapThreshold = this.mmapThreshold;
		builder.tempMaxAge = this.tempMaxAge;
		builder.openOnEventLoop = this.openOnEventLoop;
		return builder;
	}

	/** Builds {@link FsSettings}; {@link #build()} validates. */
	public static final class Builder {

		private @Nullable Path root;

		private boolean createRoot = true;

		private boolean fsync;

		private int bufferSize = DEFAULT_BUFFER_SIZE;

		private long mmapThreshold = DEFAULT_MMAP_THRESHOLD;

		private @Nullable Duration tempMaxAge = DEFAULT_TEMP_MAX_AGE;

		private boolean openOnEventLoop;

		private Builder() {
		}

		/**
		 * Sets the directory that holds the objects (required).
		 * @param root the root directory
		 * @return this builder
		 */
		public Builder root(@Nullable Path root) {
			this.root = root;
			return this;
		}

		/**
		 * Sets whether a missing root directory is created ({@code true}).
		 * @param createRoot whether to create it
		 * @return this builder
		 */
		public Builder createRoot(boolean createRoot) {
			this.createRoot = createRoot;
			return this;
		}

		/**
		 * Sets whether writes force their data to disk before they complete ({@code false}).
		 * @param fsync whether to force
		 * @return this builder
		 */
		public Builder fsync(boolean fsync) {
			this.fsync = fsync;
			return this;
		}

		/**
		 * Sets the size of the buffers reads emit (64 KiB).
		 * @param bufferSize the size in bytes, positive
		 * @return this builder
		 */
		public Builder bufferSize(int bufferSize) {
			this.bufferSize = bufferSize;
			return this;
		}

		/**
		 * Sets the size from which reads map the file into memory (128 KiB).
		 * @param mmapThreshold the size in bytes, {@code 0} to never map
		 * @return this builder
		 */
		public Builder mmapThreshold(long mmapThreshold) {
			this.mmapThreshold = mmapThreshold;
			return this;
		}

		/**
		 * Sets the age from which temporary files of writes are leftovers that the start-up sweep
		 * deletes (24 hours).
		 * @param tempMaxAge the age, {@link Duration#ZERO} for no sweep
		 * @return this builder
		 */
		public Builder tempMaxAge(@Nullable Duration tempMaxAge) {
			this.tempMaxAge = tempMaxAge;
			return this;
		}

		/**
		 * Sets whether a read's open and a stat run in place also on an event loop ({@code false}:
		 * they move to the bounded-elastic scheduler). Only for a local disk.
		 * @param openOnEventLoop whether to run them in place
		 * @return this builder
		 */
		public Builder openOnEventLoop(boolean openOnEventLoop) {
			this.openOnEventLoop = openOnEventLoop;
			return this;
		}

		/**
		 * Validates and builds the settings.
		 * @return the settings
		 * @throws InvalidSettingException naming the setting whose value is invalid or missing
		 */
		public FsSettings build() {
			return new FsSettings(this.root, this.createRoot, this.fsync, this.bufferSize, this.mmapThreshold,
					this.tempMaxAge, this.openOnEventLoop);
		}

	}

}
