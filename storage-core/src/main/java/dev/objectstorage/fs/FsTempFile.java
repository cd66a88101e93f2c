package dev.objectstorage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * A write's temporary file, deleted unless it was published. Temporary files are named
 * {@code .os-tmp-} and 16 hex digits, names reserved by the fs backend; the leftovers of a process
 * that died mid-write are swept at start.
 */
final class FsTempFile {

	static final String TEMP_PREFIX = ".os-tmp-";

	final Path path;

	final FileChannel channel;

	volatile boolean published;

	private FsTempFile(Path path, FileChannel channel) {
		this.path = path;
		this.channel = channel;
	}

	static FsTempFile create(FsRoot root, Path file) throws IOException {
		Path directory = file.getParent();
		for (int attempt = 0;; attempt++) {
			root.createDirectories(directory);
			Path temp = directory.resolve(TEMP_PREFIX + FsWriter.newTag());
			try {
				FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
						StandardOpenOption.WRITE);
				return new FsTempFile(temp, channel);
			}
			catch (NoSuchFileException ex) {
				// a concurrent delete removed the (empty) directory: make it again
				root.forgetDirectory(directory);
				if (attempt >= 5) {
					throw ex;
				}
			}
		}
	}

	void cleanUpNow() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closing is best effort here; the file is deleted next
		}
		if (!this.published) {
			try {
				Files.deleteIfExists(this.path);
			}
			catch (IOException ex) {
				// best effort; temporary files never show in listings
			}
		}
	}

	/**
	 * Deletes the temporary files of writes that a process which died mid-write left behind: those
	 * older than {@link FsSettings#tempMaxAge()} (a write in progress touches its file with every
	 * buffer, so only a write stalled that long could lose its file). Names of this form are reserved,
	 * so no object is ever touched. Links are not followed.
	 * @param root the root directory
	 * @param maxAge the age from which a temporary file is a leftover
	 * @return how many files were deleted
	 */
	static int sweep(Path root, Duration maxAge) {
		long cutoff = System.currentTimeMillis() - maxAge.toMillis();
		int[] deleted = new int[1];
		try {
			Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					if (attributes.isRegularFile() && isTempName(file.getFileName().toString())
							&& attributes.lastModifiedTime().toMillis() < cutoff && Files.deleteIfExists(file)) {
						deleted[0]++;
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) {
					return FileVisitResult.CONTINUE; // vanished or unreadable: nothing of ours to clean there
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			// best effort: the next start sweeps again
		}
		return deleted[0];
	}

	private static boolean isTempName(String name) {
		if (!name.startsWith(TEMP_PREFIX) || name.length() != TEMP_PREFIX.length() + 16) {
			return false;
		}
		for (int i = TEMP_PREFIX.length(); i < name.length(); i++) {
			if (Character.digit(name.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}

}
