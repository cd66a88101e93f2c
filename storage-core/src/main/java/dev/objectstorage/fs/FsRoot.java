package dev.objectstorage.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;

import static dev.objectstorage.fs.FsTempFile.TEMP_PREFIX;

/**
 * The root directory of the fs backend and its jail: resolving paths inside it, checking that they
 * stay inside after symbolic links are resolved, with a short-lived cache of directories checked.
 */
final class FsRoot {

	private final Path root;

	/** Directories checked to resolve inside the root, with when the check expires ({@link System#nanoTime()}). */
	private final ConcurrentHashMap<Path, Long> verifiedDirectories = new ConcurrentHashMap<>();

	private static final long VERIFIED_TTL_NANOS = 1_000_000_000L;

	/**
	 * The root of the given settings, created if they allow it.
	 * @param settings the settings
	 * @throws StorageException of kind {@link ErrorKind#CONFIG_INVALID} if the root is not a usable directory
	 */
	FsRoot(FsSettings settings) {
		this.root = prepareRoot(settings);
	}

	private static Path prepareRoot(FsSettings settings) {
		Path root = settings.root().toAbsolutePath().normalize();
		try {
			if (!Files.exists(root)) {
				if (!settings.createRoot()) {
					throw new StorageException(ErrorKind.CONFIG_INVALID,
							"The root directory " + root + " does not exist (create it, or allow creating it)");
				}
				Files.createDirectories(root);
			}
			if (!Files.isDirectory(root)) {
				throw new StorageException(ErrorKind.CONFIG_INVALID,
						"The root " + root + " is not a directory (point the root at a directory)");
			}
			return root.toRealPath();
		}
		catch (IOException ex) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "Cannot use " + root + " as root: " + ex, ex);
		}
	}

	/**
	 * The root directory, with symbolic links resolved.
	 * @return the root
	 */
	Path path() {
		return this.root;
	}

	/** The file of a normalised path; never outside the root, before symbolic links. */
	Path resolve(String path) {
		Path file = this.root.resolve(path).normalize();
		if (!file.startsWith(this.root) || file.equals(this.root)) {
			throw new StorageException(ErrorKind.INVALID_INPUT, "Path escapes the root: " + path);
		}
		String name = file.getFileName().toString();
		if (name.startsWith(TEMP_PREFIX)) {
			throw new StorageException(ErrorKind.INVALID_INPUT,
					"Names starting with '" + TEMP_PREFIX + "' are reserved by the fs backend: " + path);
		}
		return file;
	}

	/** The real path of an existing file, checked to be inside the root after following links. */
	Path realInside(Path file) throws IOException {
		Path real = file.toRealPath();
		if (!real.startsWith(this.root)) {
			throw outside(file);
		}
		return real;
	}

	/**
	 * Checks that a directory resolves inside the root, remembering the answer for a second: resolving
	 * every link of a path costs a system call per segment, as much as reading a small file. A
	 * directory that a local user replaces with a link to outside the root is noticed within that second.
	 */
	void checkDirectoryInside(Path directory) throws IOException {
		long now = System.nanoTime();
		Long until = this.verifiedDirectories.get(directory);
		if (until != null && now - until < 0) {
			return;
		}
		if (!directory.toRealPath().startsWith(this.root)) {
			throw outside(directory);
		}
		if (this.verifiedDirectories.size() > 10_000) {
			this.verifiedDirectories.clear();
		}
		this.verifiedDirectories.put(directory, now + VERIFIED_TTL_NANOS);
	}

	/** Checks that the nearest existing ancestor-or-self of a path lies inside the root. */
	void checkInside(Path path) throws IOException {
		Path existing = path;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (existing == null || !existing.toRealPath().startsWith(this.root)) {
			throw outside(path);
		}
	}

	void createDirectories(Path directory) throws IOException {
		Long until = this.verifiedDirectories.get(directory);
		if (until != null && System.nanoTime() - until < 0) {
			return; // exists and lies inside the root, as checked less than a second ago
		}
		checkInside(directory);
		Files.createDirectories(directory);
		checkDirectoryInside(directory);
	}

	/** Forgets a directory's check (it was removed, for one). */
	void forgetDirectory(Path directory) {
		this.verifiedDirectories.remove(directory);
	}

	private StorageException outside(Path path) {
		return new StorageException(ErrorKind.PERMISSION_DENIED,
				"Path resolves outside the storage root (through a symbolic link): " + this.root.relativize(path));
	}

	/** Deletes the directories that a removed file left empty, up to the root. */
	void pruneEmptyDirectories(Path directory) {
		for (Path dir = directory; dir != null && !dir.equals(this.root) && dir.startsWith(this.root);
				dir = dir.getParent()) {
			try {
				Files.delete(dir);
				this.verifiedDirectories.remove(dir);
			}
			catch (IOException ex) {
				return; // not empty (or gone): stop here
			}
		}
	}

}
