package dev.objectstorage.sftp;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.Operation;
import dev.objectstorage.spi.TreeLister;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the directories of a {@link TreeLister} walk, which owns the order, {@code startAfter} and
 * the limit: each read borrows a channel only for itself, on the backend's scheduler, so that a
 * slow subscriber holds none. In a non-recursive listing a directory is shown only if it holds an
 * object somewhere below; temporary files and metadata sidecars are hidden. A link to a directory
 * that the walk is inside of (the directory holding the link, or one above it up to the root,
 * compared by real path) is not followed and not listed: it would repeat that directory's tree
 * without end. The real paths are resolved link by link with {@code lstat} and {@code readlink}
 * (the SFTP realpath request does not do it on every server: MINA SSHD's only normalizes the
 * path), and only when a directory link turns up; nothing is kept between reads.
 */
final class SftpLister {

	/** The most links one real path goes through, as Linux's {@code MAXSYMLINKS}. */
	private static final int MAX_LINKS = 40;

	private final TreeLister<Child> lister;

	/**
	 * A lister that reads the directories on the backend's channels.
	 * @param core the backend's channels and settings
	 */
	SftpLister(SftpCore core) {
		this.lister = new TreeLister<>((directoryPath, namePrefix) -> children(core, directoryPath, namePrefix),
				(child) -> ObjectEntry.object(child.path, child.size, Instant.ofEpochSecond(child.mtime), null));
	}

	Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return this.lister.list(prefix, options);
	}

	/** The visible children of one directory (relative path ending in '/', or ""). */
	static Mono<List<SftpLister.Child>> children(SftpCore core, String directoryPath, String namePrefix) {
		return core.call(Operation.LIST, directoryPath + namePrefix, (lease) -> {
			SftpClient sftp = lease.sftp();
			String root = lease.channel().root();
			String base = root.equals("/") ? "" : root;
			String directory = directoryPath.isEmpty() ? root
					: base + "/" + directoryPath.substring(0, directoryPath.length() - 1);
			CloseableHandle handle;
			try {
				handle = sftp.openDir(directory);
			}
			catch (SftpException ex) {
				Attributes attributes = SftpErrors.isNotFound(ex) ? null : RemoteFiles.statOrNull(sftp, directory);
				if (attributes == null || !attributes.isDirectory()) {
					return List.<SftpLister.Child>of(); // nothing there, or an object: nothing below
				}
				throw ex;
			}
			List<SftpLister.Child> children = new ArrayList<>();
			List<String> onWalk = null; // the real paths of the root and the directories down to this one
			try (handle) {
				for (List<DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
					for (DirEntry entry : batch) {
						String name = entry.getFilename();
						if (name.equals(".") || name.equals("..") || SftpMetadata.isReserved(name)
								|| !name.startsWith(namePrefix)) {
							continue;
						}
						Attributes attributes = entry.getAttributes();
						if (attributes.isSymbolicLink()) {
							attributes = RemoteFiles.statOrNull(sftp, directory + "/" + name);
							if (attributes == null) {
								continue; // a dangling link
							}
							if (attributes.isDirectory()) {
								if (onWalk == null) {
									onWalk = walk(sftp, root, directoryPath);
									if (onWalk == null) {
										continue; // gone meanwhile
									}
								}
								String real = realPath(sftp, onWalk.get(onWalk.size() - 1), name);
								if (real == null || onWalk.contains(real)) {
									continue; // back into the walk, or gone meanwhile
								}
							}
						}
						if (attributes.isDirectory()) {
							children.add(SftpLister.Child.directory(directoryPath + name));
						}
						else if (attributes.isRegularFile()) {
							children.add(SftpLister.Child.object(directoryPath + name, attributes.getSize(),
									RemoteFiles.seconds(attributes)));
						}
					}
				}
			}
			return children;
		});
	}

	/**
	 * The real paths of the root and of each directory below it down to a directory, or
	 * {@code null} if one of them is gone.
	 * @param root the root, absolute
	 * @param directoryPath the directory, relative to the root, ending in {@code /}, or empty
	 */
	private static @Nullable List<String> walk(SftpClient sftp, String root, String directoryPath)
			throws IOException {
		List<String> walk = new ArrayList<>();
		String real = realPath(sftp, "/", root);
		for (int start = 0; real != null; start = directoryPath.indexOf('/', start) + 1) {
			walk.add(real);
			if (start == directoryPath.length()) {
				return walk;
			}
			real = realPath(sftp, real, directoryPath.substring(start, directoryPath.indexOf('/', start)));
		}
		return null;
	}

	/**
	 * The real path of a path, every link on it resolved, as {@code realpath(3)} finds it: one
	 * {@code lstat} per name, one {@code readlink} per link.
	 * @param directory the real path of the directory a relative path starts from
	 * @param path the path, relative or absolute
	 * @return the real path, or {@code null} if it is not there or goes through too many links
	 */
	static @Nullable String realPath(SftpClient sftp, String directory, String path) throws IOException {
		Deque<String> names = new ArrayDeque<>();
		String real = push(names, path) ? "/" : directory;
		int links = 0;
		while (!names.isEmpty()) {
			String name = names.pop();
			if (name.isEmpty() || name.equals(".")) {
				continue;
			}
			if (name.equals("..")) {
				real = RemoteFiles.parent(real);
				continue;
			}
			String next = real.equals("/") ? "/" + name : real + "/" + name;
			Attributes attributes = RemoteFiles.lstatOrNull(sftp, next);
			if (attributes == null) {
				return null;
			}
			if (!attributes.isSymbolicLink()) {
				real = next;
			}
			else if (++links > MAX_LINKS) {
				return null;
			}
			else if (push(names, sftp.readLink(next))) {
				real = "/"; // an absolute link
			}
		}
		return real;
	}

	/** Puts the names of a path before those still to resolve; whether it is absolute. */
	private static boolean push(Deque<String> names, String path) {
		String[] split = path.split("/");
		for (int i = split.length - 1; i >= 0; i--) {
			names.push(split[i]);
		}
		return path.startsWith("/");
	}

	/** One visible entry of a directory. */
	record Child(String path, boolean directory, long size, long mtime) implements TreeLister.Child {

		static Child object(String path, long size, long mtime) {
			return new Child(path, false, size, mtime);
		}

		static Child directory(String path) {
			return new Child(path, true, -1, 0);
		}

	}

}
