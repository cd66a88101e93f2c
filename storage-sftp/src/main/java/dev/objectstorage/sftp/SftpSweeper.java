package dev.objectstorage.sftp;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sweep of old temporary files that writers which died mid-write left behind.
 */
final class SftpSweeper {

	private final SftpCore core;

	SftpSweeper(SftpCore core) {
		this.core = core;
	}

	/**
	 * Removes the temporary files of writes (files named exactly as {@link SftpMetadata#newTempName()}
	 * names them) older than {@code maxAge} anywhere under the root, one directory at a time, each
	 * read borrowing a channel for itself only; symbolic links are not followed, sidecars and objects
	 * never touched. Best effort: a directory that cannot be read or a file that cannot be removed is
	 * skipped.
	 * @param maxAge how old a temporary file must be (by its modification time) to be removed
	 * @return the number of files removed
	 */
	Mono<Integer> sweepTemporaryFiles(Duration maxAge) {
		return Mono.defer(() -> {
			long cutoff = Instant.now().minus(maxAge).getEpochSecond();
			return sweepDirectory("", cutoff).reduce(0, Integer::sum);
		});
	}

	/** Sweeps one directory (relative path ending in '/', or "") and then, depth first, those below. */
	private Flux<Integer> sweepDirectory(String directoryPath, long cutoff) {
		return this.core.withLease((lease) -> lease.call(() -> sweepOne(lease, directoryPath, cutoff)))
			.onErrorResume((ex) -> Mono.empty())
			.flatMapMany((swept) -> Flux.just(swept.removed())
				.concatWith(Flux.fromIterable(swept.directories()).concatMap((d) -> sweepDirectory(d, cutoff))));
	}

	private Swept sweepOne(Lease lease, String directoryPath, long cutoff) throws IOException {
		SftpClient sftp = lease.sftp();
		String root = lease.channel().root();
		String base = root.equals("/") ? "" : root;
		String directory = directoryPath.isEmpty() ? root
				: base + "/" + directoryPath.substring(0, directoryPath.length() - 1);
		List<String> directories = new ArrayList<>();
		List<String> old = new ArrayList<>();
		try (CloseableHandle handle = sftp.openDir(directory)) {
			for (List<DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
				for (DirEntry entry : batch) {
					String name = entry.getFilename();
					Attributes attributes = entry.getAttributes();
					if (name.equals(".") || name.equals("..") || attributes.isSymbolicLink()) {
						continue;
					}
					if (attributes.isDirectory()) {
						if (!SftpMetadata.isReserved(name)) {
							directories.add(directoryPath + name + "/");
						}
					}
					else if (attributes.isRegularFile() && SftpMetadata.isTempName(name)
							&& attributes.getModifyTime() != null && RemoteFiles.seconds(attributes) < cutoff) {
						old.add((directory.equals("/") ? "" : directory) + "/" + name);
					}
				}
			}
		}
		int removed = 0;
		for (String file : old) {
			try {
				sftp.remove(file);
				removed++;
			}
			catch (IOException ex) {
				// gone meanwhile, or not ours to remove: best effort
			}
		}
		directories.sort(null);
		return new Swept(removed, directories);
	}

	/** What sweeping one directory did, and the directories below it. */
	private record Swept(int removed, List<String> directories) {
	}

}
