package dev.objectstorage.sftp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.Operation;
import dev.objectstorage.spi.PathOrder;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lists a directory tree lazily, in {@link PathOrder}: one directory is read (and sorted) when the
 * walk reaches it, each read borrowing a channel only for itself, so that a slow subscriber holds
 * none. A directory sorts as its name followed by {@code /}, which makes a depth-first walk emit
 * paths in global order. Subtrees that sort entirely before {@code startAfter} are not read; in a
 * non-recursive listing a directory is shown only if it holds an object somewhere below.
 */
final class SftpLister {

	private final BiFunction<String, String, Mono<List<Child>>> children;

	private final String prefix;

	private final boolean recursive;

	private final @Nullable String startAfter;

	/**
	 * A lister.
	 * @param children reads the sorted visible children of a directory (a relative path ending in
	 * {@code /}, or empty for the root) whose names start with a prefix
	 * @param prefix the listing's prefix
	 * @param options the listing's options
	 */
	SftpLister(BiFunction<String, String, Mono<List<Child>>> children, String prefix, ListOptions options) {
		this.children = children;
		this.prefix = prefix;
		this.recursive = options.recursive();
		this.startAfter = options.startAfter();
	}

	/**
	 * A lister that reads the directories on the backend's channels.
	 * @param core the backend's channels and settings
	 * @param prefix the listing's prefix
	 * @param options the listing's options
	 */
	SftpLister(SftpCore core, String prefix, ListOptions options) {
		this((directoryPath, namePrefix) -> children(core, directoryPath, namePrefix), prefix, options);
	}

	Flux<ObjectEntry> list() {
		int slash = this.prefix.lastIndexOf('/');
		return walk(this.prefix.substring(0, slash + 1), this.prefix.substring(slash + 1));
	}

	private Flux<ObjectEntry> walk(String directoryPath, String namePrefix) {
		return this.children.apply(directoryPath, namePrefix)
			.flatMapMany(Flux::fromIterable)
			.concatMap(this::visit);
	}

	private Flux<ObjectEntry> visit(Child child) {
		if (!child.directory) {
			if (this.startAfter != null && PathOrder.compare(child.path, this.startAfter) <= 0) {
				return Flux.empty();
			}
			return Flux.just(ObjectEntry.object(child.path, child.size, Instant.ofEpochSecond(child.mtime), null));
		}
		String directoryPath = child.path + "/";
		if (this.startAfter != null && PathOrder.compare(directoryPath, this.startAfter) < 0
				&& !this.startAfter.startsWith(directoryPath)) {
			return Flux.empty(); // everything below sorts before startAfter
		}
		if (this.recursive) {
			return walk(directoryPath, "");
		}
		if (this.startAfter != null && PathOrder.compare(directoryPath, this.startAfter) <= 0) {
			return Flux.empty();
		}
		return hasObjects(directoryPath).filter(Boolean::booleanValue)
			.map((yes) -> ObjectEntry.directory(directoryPath))
			.flux();
	}

	/** Whether a directory holds at least one object, at any depth. */
	private Mono<Boolean> hasObjects(String directoryPath) {
		return this.children.apply(directoryPath, "").flatMap((list) -> {
			if (list.stream().anyMatch((c) -> !c.directory)) {
				return Mono.just(true);
			}
			return Flux.fromIterable(list).concatMap((c) -> hasObjects(c.path + "/")).any(Boolean::booleanValue);
		});
	}

	/** The visible children of one directory (relative path ending in '/', or ""), sorted in {@link PathOrder}. */
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
			children.sort((a, b) -> PathOrder.compare(a.sortKey(), b.sortKey()));
			return children;
		});
	}

	/** One visible entry of a directory. */
	record Child(String path, boolean directory, long size, long mtime) {

		static Child object(String path, long size, long mtime) {
			return new Child(path, false, size, mtime);
		}

		static Child directory(String path) {
			return new Child(path, true, -1, 0);
		}

		/** Directories sort as their name followed by '/', as their contents do. */
		String sortKey() {
			return this.directory ? this.path + "/" : this.path;
		}

	}

}
