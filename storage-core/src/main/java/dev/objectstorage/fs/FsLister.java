package dev.objectstorage.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.spi.PathOrder;
import org.jspecify.annotations.Nullable;

/**
 * Lists a directory tree lazily, in {@link PathOrder}: one directory is read (and sorted) at a time,
 * when the walk reaches it. A directory sorts as its name followed by {@code /}, which makes a
 * depth-first walk emit paths in global lexicographic order. Subtrees that sort entirely before
 * {@code startAfter} are skipped without being read. Symbolic links are followed only where they
 * stay inside the root (a link that leads out is not listed, and a listing whose prefix goes through
 * one fails with {@code PERMISSION_DENIED}, as a read through it does); temporary files of writes in progress and empty directories are hidden.
 */
final class FsLister implements Iterator<ObjectEntry> {

	private final FsRoot root;

	private final FsReader reader;

	private final boolean recursive;

	private final @Nullable String startAfter;

	private final Deque<Iterator<Child>> stack = new ArrayDeque<>();

	private @Nullable ObjectEntry next;

	FsLister(FsRoot root, FsReader reader, String prefix, ListOptions options) {
		this.root = root;
		this.reader = reader;
		this.recursive = options.recursive();
		this.startAfter = options.startAfter();
		int slash = prefix.lastIndexOf('/');
		String directoryPath = prefix.substring(0, slash + 1);
		String namePrefix = prefix.substring(slash + 1);
		Path directory = directoryPath.isEmpty() ? root.path()
				: root.path().resolve(directoryPath.substring(0, directoryPath.length() - 1));
		try {
			// a prefix through a link that leads out of the root is refused, as reads through it are
			root.checkInside(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Child> children = children(directory, directoryPath, namePrefix);
		this.stack.push(children.iterator());
	}

	@Override
	public boolean hasNext() {
		while (this.next == null && !this.stack.isEmpty()) {
			Iterator<Child> top = this.stack.peek();
			if (!top.hasNext()) {
				this.stack.pop();
				continue;
			}
			Child child = top.next();
			if (child.directory) {
				String directoryPath = child.path + "/";
				if (this.startAfter != null && PathOrder.compare(directoryPath, this.startAfter) < 0
						&& !this.startAfter.startsWith(directoryPath)) {
					continue; // everything below sorts before startAfter
				}
				if (this.recursive) {
					this.stack.push(children(child.file, directoryPath, "").iterator());
				}
				else if ((this.startAfter == null || PathOrder.compare(directoryPath, this.startAfter) > 0)
						&& hasObjects(child.file)) {
					this.next = ObjectEntry.directory(directoryPath);
				}
			}
			else if (this.startAfter == null || PathOrder.compare(child.path, this.startAfter) > 0) {
				this.next = ObjectEntry.object(child.path, child.attributes.size(),
						child.attributes.lastModifiedTime().toInstant(), FsReader.etag(child.attributes, readTag(child)));
			}
		}
		return this.next != null;
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

	@Override
	public ObjectEntry next() {
		if (!hasNext()) {
			throw new NoSuchElementException();
		}
		ObjectEntry result = this.next;
		this.next = null;
		return result;
	}

	/** The visible children of a directory whose names start with {@code namePrefix}, sorted. */
	private List<Child> children(Path directory, String directoryPath, String namePrefix) {
		List<Child> children = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
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
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		children.sort((a, b) -> PathOrder.compare(a.sortKey, b.sortKey));
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

	private static final class Child {

		final String path;

		final String sortKey;

		final Path file;

		final boolean directory;

		final BasicFileAttributes attributes;

		Child(String path, Path file, BasicFileAttributes attributes) {
			this.path = path;
			this.file = file;
			this.attributes = attributes;
			this.directory = attributes.isDirectory();
			this.sortKey = this.directory ? path + "/" : path;
		}

	}

}
