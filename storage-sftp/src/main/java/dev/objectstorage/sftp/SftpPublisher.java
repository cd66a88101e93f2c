package dev.objectstorage.sftp;

import dev.objectstorage.spi.Etags;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * Puts a write's complete temporary file in place (for writes and copies): checks the write's
 * condition, writes the sidecar and renames, or for {@code ifNotExists} links or renames only if
 * the name is free, after finding out once what this server's hard links and renames really do.
 */
final class SftpPublisher {

	private final SftpCore core;

	private final SftpSettings settings;

	/** What is known of the server's {@code hardlink@openssh.com}; found out on first use, then kept. */
	volatile HardLinks hardLinks = HardLinks.UNKNOWN;

	/**
	 * Whether the server's SFTP version 3 rename refuses to replace an existing file, or
	 * {@code null} until found out (on the first write with {@code ifNotExists} that needs it).
	 */
	private volatile @Nullable Boolean renameRefusesToReplace;

	/** What a server's answers to {@code hardlink@openssh.com} are worth. */
	enum HardLinks {

		/** Not tried yet. */
		UNKNOWN,

		/** A link the server answers with OK is made (a file system without links refuses them outright). */
		WORK,

		/** The server answered OK and made no link (rclone's serve sftp): never used again. */
		FAKE

	}

	SftpPublisher(SftpCore core) {
		this.core = core;
		this.settings = core.settings();
	}

	void checkCondition(Lease lease, String path, String file, @Nullable Attributes current,
			WriteOptions options) throws IOException {
		boolean exists = current != null && current.isRegularFile();
		if (options.ifNotExists() && current != null) {
			throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
		}
		if (options.ifMatch() != null) {
			if (!exists) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch: no such object");
			}
			if (!Etags.matches(options.ifMatch(), this.core.metadata(lease, path, file, current).etag())) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch");
			}
		}
	}

	/**
	 * Puts a complete temporary file in place: checks the condition again, makes the new version's
	 * size and time differ from the current one's, writes the sidecar and renames both.
	 */
	ObjectMetadata publish(Lease lease, String path, TempFile temp, SftpMetadata.Stored metadata,
			WriteOptions options) throws IOException {
		SftpClient sftp = lease.sftp();
		String file = SftpCore.file(lease, path);
		Attributes written = temp.finish();
		long size = written.getSize();
		long mtime = RemoteFiles.seconds(written);
		ReentrantLock lock = SftpCore.lockFor(file);
		lock.lock();
		try {
			Attributes current = RemoteFiles.statOrNull(sftp, file);
			if (current != null && current.isDirectory()) {
				throw new StorageException(ErrorKind.ALREADY_EXISTS, "A directory exists at " + path
						+ " (SFTP cannot hold both an object 'a' and an object 'a/b')");
			}
			checkCondition(lease, path, file, current, options);
			if (current != null && current.isRegularFile() && current.getSize() == size
					&& RemoteFiles.seconds(current) == mtime) {
				// same size within the same second: move the time on so that the versions stay distinguishable
				mtime++;
				FileTime time = FileTime.from(mtime, TimeUnit.SECONDS);
				sftp.setStat(temp.path, new Attributes().accessTime(time).modifyTime(time));
			}
			SftpMetadata.Stored stored = metadata.forVersion(metadata.tag(), size, mtime);
			TempFile sidecar = null;
			if (this.settings.metadata()) {
				sidecar = TempFile.createWith(lease, file, SftpMetadata.format(stored));
			}
			if (options.ifNotExists()) {
				publishIfAbsent(lease, path, temp, file, size, mtime);
			}
			else {
				// the sidecar goes first, so that a reader who finds the new data finds its metadata; the
				// one it replaces stays restorable until the data is in place
				SidecarBackup old = null;
				if (sidecar != null) {
					old = (current != null) ? SidecarBackup.keep(this, lease, file) : SidecarBackup.none(file);
					RemoteFiles.publishRenaming(lease.channel(), sidecar.path, SftpMetadata.sidecarOf(file));
					sidecar.published = true;
				}
				try {
					RemoteFiles.publishRenaming(lease.channel(), temp.path, file);
				}
				catch (IOException | RuntimeException ex) {
					if (old != null) {
						old.restore(lease, ex); // else the old data would carry the new version's metadata
					}
					throw ex;
				}
				temp.published = true;
			}
			if (sidecar != null && !sidecar.published) {
				RemoteFiles.publishRenaming(lease.channel(), sidecar.path, SftpMetadata.sidecarOf(file));
				sidecar.published = true;
			}
			boolean kept = this.settings.metadata();
			return ObjectMetadata.builder(path, size, SftpMetadata.etag(size, mtime, kept ? stored.tag() : null))
				.lastModified(java.time.Instant.ofEpochSecond(mtime))
				.contentType(kept ? stored.contentType() : null)
				.userMetadata(kept ? stored.userMetadata() : null)
				.cacheControl(kept ? stored.cacheControl() : null)
				.contentDisposition(kept ? stored.contentDisposition() : null)
				.build();
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Publishes only if nothing is at the target, atomically, and never removes the only copy of the
	 * data on a server's word alone.
	 * <ul>
	 * <li>A hard link fails if the name exists (OpenSSH answers a generic failure then, so the target
	 * is looked at to tell). Before the first link the backend checks, on two private temporary
	 * files, that a link the server answers with OK is really made (rclone's {@code serve sftp}
	 * answers OK and makes none); after each link it checks that the target is the file just written
	 * (same size and modification time) before the temporary name goes.</li>
	 * <li>A file system without hard links (CIFS, exFAT, many FUSE file systems) fails the link with
	 * nothing at the target, and a server whose links are found not to be made is not asked again:
	 * then a plain SFTP version 3 rename publishes, which on OpenSSH and MINA SSHD never replaces an
	 * existing file, but only once the backend has checked, on two private temporary files, that
	 * this server's rename refuses to replace (rclone's replaces).</li>
	 * <li>Where neither works, the write fails with {@link ErrorKind#UNSUPPORTED} and publishes
	 * nothing; {@link SftpSettings#atomicCreate()} {@code false} declares it up front.</li>
	 * </ul>
	 */
	private void publishIfAbsent(Lease lease, String path, TempFile temp, String file, long size, long mtime)
			throws IOException {
		SftpClient sftp = lease.sftp();
		String directory = RemoteFiles.parent(file);
		if (!this.settings.atomicCreate()) {
			throw new StorageException(ErrorKind.UNSUPPORTED, "Writes with ifNotExists are off for this SFTP server"
					+ " (atomicCreate is false): " + path);
		}
		HardLinkExtension hardLink = lease.channel().hardLink();
		if (hardLink != null && this.hardLinks == HardLinks.UNKNOWN) {
			this.hardLinks = linksAreMade(lease, directory) ? HardLinks.WORK : HardLinks.FAKE;
		}
		if (hardLink != null && this.hardLinks == HardLinks.WORK) {
			boolean linked = true;
			try {
				hardLink.link(temp.path, file);
			}
			catch (SftpException ex) {
				checkAbsent(sftp, path, file);
				linked = false; // nothing there: this file system has no hard links, so rename below
			}
			if (linked) {
				Attributes there = RemoteFiles.lstatOrNull(sftp, file);
				if (there != null && there.isRegularFile() && there.getSize() == size
						&& RemoteFiles.seconds(there) == mtime) {
					// linked: the temporary name goes (in the lease's clean-up), the object stays under its new name
					return;
				}
				if (there != null) {
					// another file got there first (a link of ours would have the attributes of the temporary file)
					throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
				}
				if (linksAreMade(lease, directory)) {
					// our link was made, and someone deleted the object since: the write did publish
					return;
				}
				// the server answered OK and made nothing: the temporary file is the only copy, keep it
				this.hardLinks = HardLinks.FAKE;
			}
		}
		if (!renameRefusesToReplace(lease, directory)) {
			throw new StorageException(ErrorKind.UNSUPPORTED, "This SFTP server cannot create a file only if its"
					+ " name is free: " + ((hardLink == null) ? "it does not offer hardlink@openssh.com"
							: (this.hardLinks == HardLinks.FAKE)
									? "it answers hardlink@openssh.com with OK but makes no link"
									: "its file system has no hard links")
					+ ", and its SFTP rename replaces an existing file (rclone's serve sftp does both); nothing was"
					+ " written to " + path + ". Set atomicCreate to false (storage.sftp.atomic-create) to declare"
					+ " writes with ifNotExists unsupported");
		}
		try {
			sftp.rename(temp.path, file); // SFTP version 3, checked to never replace on this server
			temp.published = true;
		}
		catch (SftpException ex) {
			checkAbsent(sftp, path, file);
			throw ex;
		}
	}

	/**
	 * Whether the server's hard links are made: links a new private temporary file in
	 * {@code directory} to a second private name and looks for it (no other client knows either
	 * name, so what is there can only be the link). Both names are removed.
	 */
	static boolean linksAreMade(Lease lease, String directory) throws IOException {
		SftpClient sftp = lease.sftp();
		HardLinkExtension hardLink = lease.channel().hardLink();
		if (hardLink == null) {
			return false;
		}
		String probe = directory + "/" + SftpMetadata.newTempName();
		String link = directory + "/" + SftpMetadata.newTempName();
		try {
			RemoteFiles.writeNewFile(sftp, probe, PROBE_BYTES);
			try {
				hardLink.link(probe, link);
			}
			catch (SftpException ex) {
				return true; // refused, not faked: a file system without links, which each write finds out
			}
			Attributes there = RemoteFiles.lstatOrNull(sftp, link);
			return there != null && there.isRegularFile() && there.getSize() == PROBE_BYTES.length;
		}
		finally {
			RemoteFiles.removeQuietly(sftp, link);
			RemoteFiles.removeQuietly(sftp, probe);
		}
	}

	/**
	 * Whether the server's SFTP version 3 rename refuses to replace an existing file (as OpenSSH and
	 * MINA SSHD do, and the protocol says); found out once, with two private temporary files in
	 * {@code directory}, then kept.
	 */
	private boolean renameRefusesToReplace(Lease lease, String directory) throws IOException {
		Boolean known = this.renameRefusesToReplace;
		if (known != null) {
			return known;
		}
		SftpClient sftp = lease.sftp();
		String source = directory + "/" + SftpMetadata.newTempName();
		String target = directory + "/" + SftpMetadata.newTempName();
		boolean refuses;
		try {
			RemoteFiles.writeNewFile(sftp, source, PROBE_BYTES);
			RemoteFiles.writeNewFile(sftp, target, new byte[0]);
			try {
				sftp.rename(source, target);
				refuses = false;
			}
			catch (SftpException ex) {
				Attributes kept = RemoteFiles.lstatOrNull(sftp, target);
				refuses = kept != null && kept.getSize() == 0 && RemoteFiles.lstatOrNull(sftp, source) != null;
			}
		}
		finally {
			RemoteFiles.removeQuietly(sftp, source);
			RemoteFiles.removeQuietly(sftp, target);
		}
		this.renameRefusesToReplace = refuses;
		return refuses;
	}

	/** The content of the private files that find out what a server does. */
	private static final byte[] PROBE_BYTES = "objectstorage probe\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	/** What is known of the server's hard links (for tests). */
	HardLinks hardLinks() {
		return this.hardLinks;
	}

	/** After a failed publication: the condition's error if the target exists now. */
	private static void checkAbsent(SftpClient sftp, String path, String file) throws IOException {
		if (RemoteFiles.statOrNull(sftp, file) != null) {
			throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
		}
	}

}
