package dev.objectstorage.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.spi.TreeLister;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the directories of a {@link TreeLister} walk, which owns the order, {@code startAfter} and
 * the limit. Each read is blocking and runs where the walk runs (the backend moves the listing off
 * non-blocking threads as a whole). Symbolic links are followed only where they stay inside the
 * root (a link that leads out is not listed, and a listing whose prefix goes through one fails
 * with {@code PERMISSION_DENIED}, as a read through it does); temporary files of writes in progress
 * and empty directories are hidden.
 */
final class FsLister {

	private final FsRoot root;

	private final FsReader reader;

	private final TreeLister<Child> lister;

	FsLister(FsRoot root, FsReader reader) {
		this.root = root;
		this.reader = reader;
		this.lister = new TreeLister<>(
				(directoryPath, namePrefix) -> Mono.fromCallable(() -> children(directoryPath, namePrefix)),
				this::entry, (child) -> Mono.fromCallable(() -> hasObjects(child.file)));
	}

	Flux<ObjectEntry> list(String prefix, ListOptions options) {
		String directoryPath = prefix.substring(0, prefix.lastIndexOf('/') + 1);
		return Mono.fromCallable(() -> {
			// a prefix through a link that leads out of the root is refused, as reads through it are
			this.root.checkInside(directory(directoryPath));
			return true;
		}).thenMany(this.lister.list(prefix, options));
	}

	private Path directory(String directoryPath) {
		return directoryPath.isEmpty() ? this.root.path()
				: this.root.path().resolve(directoryPath.substring(0, directoryPath.length() - 1));
	}

	private ObjectEntry entry(Child child) {
		return ObjectEntry.object(child.path, child.attributes.size(), child.attributes.lastModifiedTime().toInstant(),
				FsReader.etag(child.attributes, readTag(child)));
	}

	private FsMetadata.Stored readTag(Child child) {
		if (!this.reader.xattrs()) {
			return FsMetadata.NONE;
		}
		try {
			return this.reader.storedMetadata(child.file, child.attributes);
		}
		catch (IOException ex) {
			return FsMetadata.NONE; // deleted meanwhile: still list what we saw
		}
	}

	/** The visible children of a directory whose names start with {@code namePrefix}. */
	private List<Child> children(String directoryPath, String namePrefix) throws IOException {
		List<Child> children = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory(directoryPath))) {
			for (Path file : stream) {
				String name = file.getFileName().toString();
				if (!name.startsWith(namePrefix) || name.startsWith(FsTempFile.TEMP_PREFIX)) {
					continue;
				}
				BasicFileAttributes attributes = attributes(file);
				if (attributes == null) {
					continue;
				}
				if (attributes.isDirectory() || attributes.isRegularFile()) {
					children.add(new Child(directoryPath + name, file, attributes));
				}
			}
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			return List.of();
		}
		return children;
	}

	/** The attributes of a file, following a link only when it stays inside the root. */
	private @Nullable BasicFileAttributes attributes(Path file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!attributes.isSymbolicLink()) {
				return attributes;
			}
			Path real = file.toRealPath();
			if (!real.startsWith(this.root.path())) {
				return null;
			}
			return Files.readAttributes(real, BasicFileAttributes.class);
		}
		catch (IOException ex) {
			return null; // vanished, or a dangling link
		}
	}

	/** Whether a directory holds at least one visible object, at any depth. */
	private boolean hasObjects(Path directory) {
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
			for (Path file : stream) {
				if (file.getFileName().toString().startsWith(FsTempFile.TEMP_PREFIX)) {
					continue;
				}
				BasicFileAttributes attributes = attributes(file);
				if (attributes == null) {
					continue;
				}
				if (attributes.isRegularFile()
						|| (attributes.isDirectory() && !attributes.isSymbolicLink() && hasObjects(file))) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** One visible entry of a directory, with the attributes it was seen with. */
	private record Child(String path, Path file, BasicFileAttributes attributes) implements TreeLister.Child {

		@Override
		public boolean directory() {
			return this.attributes.isDirectory();
		}

	}

}
