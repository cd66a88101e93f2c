package dev.objectstorage.sftp;

import java.io.IOException;

import dev.objectstorage.sftp.SftpPublisher.HardLinks;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * The sidecar that a publication is about to replace, kept so that it can be put back if the data
 * file then fails to move: a second name made with a hard link (removed when the lease is
 * released), or, where there are no hard links, its bytes.
 */
final class SidecarBackup {

	private final String file;

	private final @Nullable String link;

	private final byte @Nullable [] bytes;

	private SidecarBackup(String file, @Nullable String link, byte @Nullable [] bytes) {
		this.file = file;
		this.link = link;
		this.bytes = bytes;
	}

	/** For a target without an object: a failure removes the new sidecar. */
	static SidecarBackup none(String file) {
		return new SidecarBackup(file, null, null);
	}

	/** Keeps the current sidecar of {@code file}, if it has one. */
	static SidecarBackup keep(SftpPublisher publisher, Lease lease, String file) throws IOException {
		String sidecar = SftpMetadata.sidecarOf(file);
		HardLinkExtension hardLink = lease.channel().hardLink();
		HardLinks known = publisher.hardLinks;
		if (hardLink != null && known != HardLinks.FAKE) {
			String link = RemoteFiles.parent(file) + "/" + SftpMetadata.newTempName();
			try {
				hardLink.link(sidecar, link);
				lease.onRelease(() -> RemoteFiles.removeQuietly(lease.sftp(), link));
				// a link the server claims must be there before the sidecar counts as kept, until
				// links are known to be made
				if (known == HardLinks.WORK) {
					return new SidecarBackup(file, link, null);
				}
				if (RemoteFiles.lstatOrNull(lease.sftp(), link) != null) {
					publisher.hardLinks = HardLinks.WORK;
					return new SidecarBackup(file, link, null);
				}
				// no link: no sidecar to link, or a server that answers OK and makes none; find out once
				publisher.hardLinks = SftpPublisher.linksAreMade(lease, RemoteFiles.parent(file)) ? HardLinks.WORK
						: HardLinks.FAKE;
			}
			catch (SftpException ex) {
				// no sidecar, or a file system without hard links: read it instead
			}
		}
		return new SidecarBackup(file, null, RemoteFiles.readSmallFile(lease.sftp(), sidecar));
	}

	/** Puts the kept sidecar back, or removes the new one if there was none; best effort. */
	void restore(Lease lease, Throwable failure) {
		String sidecar = SftpMetadata.sidecarOf(this.file);
		try {
			if (this.link != null) {
				RemoteFiles.renameReplacing(lease.channel(), this.link, sidecar);
			}
			else if (this.bytes != null) {
				TempFile copy = TempFile.createWith(lease, this.file, this.bytes);
				RemoteFiles.renameReplacing(lease.channel(), copy.path, sidecar);
				copy.published = true;
			}
			else {
				RemoteFiles.removeQuietly(lease.sftp(), sidecar);
			}
		}
		catch (IOException | RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

}
