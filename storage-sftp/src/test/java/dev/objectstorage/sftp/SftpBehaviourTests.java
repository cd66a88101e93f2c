package dev.objectstorage.sftp;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against a real SFTP server (Apache MINA SSHD's, embedded on 127.0.0.1,
 * see {@link EmbeddedSftpServer}), each test under its own root directory, with key
 * authentication and strict host key checking.
 */
class SftpBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new SftpBackend(EmbeddedSftpServer.get().settings("/" + context.root()), context.bufferFactory());
	}

}
