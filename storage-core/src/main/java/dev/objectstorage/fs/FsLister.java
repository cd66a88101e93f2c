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
 * and empty directories are hidden. A link to a directory that the walk is inside of (the directory
 * holding the link, or one above it up to the root, compared by real path) is not followed and not
 * listed: it would repeat that directory's tree without end. The walk is known from the path of the
 * directory read (a child's path is its directory followed by its name), so nothing is kept between
 * reads, and the real paths are looked up only when a directory link turns up.
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
				this::entry, (child) -> Mono.fromCallable(() -> hasObjects(child.path + "/")));
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
				Seen seen = see(file);
				if (seen == null || leadsBack(seen, directoryPath)) {
					continue;
				}
				if (seen.attributes.isDirectory() || seen.attributes.isRegularFile()) {
					children.add(new Child(directoryPath + name, file, seen.attributes));
				}
			}
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			return List.of();
		}
		return children;
	}

	/**
	 * A file as the listing sees it: its attributes, following a link only when it stays inside the
	 * root, or {@code null} if it is not to be seen.
	 */
	private @Nullable Seen see(Path file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!attributes.isSymbolicLink()) {
				return new Seen(attributes, null);
			}
			Path real = file.toRealPath();
			if (!real.startsWith(this.root.path())) {
				return null;
			}
			return new Seen(Files.readAttributes(real, BasicFileAttributes.class), real);
		}
		catch (IOException ex) {
			return null; // vanished, or a dangling link
		}
	}

	/** Whether a file seen in a directory is a link to a directory that the walk is inside of. */
	private boolean leadsBack(Seen seen, String directoryPath) throws IOException {
		return seen.real != null && seen.attributes.isDirectory() && onWalk(seen.real, directoryPath);
	}

	/**
	 * Whether a directory is, by real path, the one at a path or one above it up to the root: a
	 * link to it from that path leads back into the walk.
	 * @param real the directory's real path
	 * @param directoryPath a directory, ending in {@code /}, or empty for the root
	 */
	private boolean onWalk(Path real, String directoryPath) throws IOException {
		if (real.equals(this.root.path())) {
			return true;
		}
		for (int slash = directoryPath.indexOf('/'); slash >= 0; slash = directoryPath.indexOf('/', slash + 1)) {
			if (real.equals(directory(directoryPath.substring(0, slash + 1)).toRealPath())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a directory holds at least one visible object, at any depth: exactly when a recursive
	 * listing of it shows one (links back into the walk are not followed either).
	 * @param directoryPath the directory, ending in {@code /}
	 */
	private boolean hasObjects(String directoryPath) {
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory(directoryPath))) {
			for (Path file : stream) {
				String name = file.getFileName().toString();
				if (name.startsWith(FsTempFile.TEMP_PREFIX)) {
					continue;
				}
				Seen seen = see(file);
				if (seen == null || leadsBack(seen, directoryPath)) {
					continue;
				}
				if (seen.attributes.isRegularFile()
						|| (seen.attributes.isDirectory() && hasObjects(directoryPath + name + "/"))) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The attributes a listing sees of a file, and its real path if it is a link.
	 * @param attributes the attributes, of the link's target for a link
	 * @param real the link's real path, {@code null} if it is no link
	 */
	private record Seen(BasicFileAttributes attributes, @Nullable Path real) {
	}

	/** One visible entry of a directory, with the attributes it was seen with. */
	private record Child(String path, Path file, BasicFileAttributes attributes) implements TreeLister.Child {

		@Override
		public boolean directory() {
			return this.attributes.isDirectory();
		}

	}

}
