package dev.objectstorage.sftp;

import java.io.IOException;

import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.helpers.AbstractSftpClientExtension;

/**
 * OpenSSH's {@code hardlink@openssh.com} extension, which MINA SSHD's client does not offer: it
 * creates a new name for an existing file and fails if the new name exists, atomically (the
 * {@code link(2)} system call). Both OpenSSH's and MINA SSHD's servers support it; rclone's
 * {@code serve sftp} advertises it and answers OK without making a link, so callers check that the
 * link is there before they rely on it. Writes with {@code ifNotExists} publish their temporary
 * file with it, so that of two racing writers exactly one wins.
 */
final class HardLinkExtension extends AbstractSftpClientExtension {

	static final String NAME = "hardlink@openssh.com";

	HardLinkExtension(SftpClient client) {
		super(NAME, client, (RawSftpClient) client, client.getServerExtensions());
	}

	/**
	 * Links {@code newPath} to the file at {@code existingPath}.
	 * @param existingPath the existing file
	 * @param newPath the new name, which must not exist
	 * @throws IOException an {@code SftpException} if the server refuses (OpenSSH answers
	 * {@code SSH_FX_FAILURE} when the new name exists)
	 */
	void link(String existingPath, String newPath) throws IOException {
		Buffer buffer = getCommandBuffer(Integer.BYTES * 2 + existingPath.length() * 3 + newPath.length() * 3);
		putTarget(buffer, existingPath);
		putTarget(buffer, newPath);
		sendAndCheckExtendedCommandStatus(buffer);
	}

}
