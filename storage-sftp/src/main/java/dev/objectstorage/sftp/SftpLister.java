package dev.objectstorage.sftp;

import java.time.Instant;
import java.util.ArrayList;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the directories of a {@link TreeLister} walk, which owns the order, {@code startAfter} and
 * the limit: each read borrows a channel only for itself, on the backend's scheduler, so that a
 * slow subscriber holds none. In a non-recursive listing a directory is shown only if it holds an
 * object somewhere below; temporary files and metadata sidecars are hidden.
 */
final class SftpLister {

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
