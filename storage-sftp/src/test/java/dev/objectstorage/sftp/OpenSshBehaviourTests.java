package dev.objectstorage.sftp;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against OpenSSH's sshd (Debian's openssh-server, started on 127.0.0.1
 * by {@link OpenSshServer}), each test under its own root directory. Skipped where sshd cannot run,
 * unless {@code STORAGE_TEST_REQUIRE_SERVERS=true}.
 */
class OpenSshBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		// the server is started on first use: each test is skipped (with an install hint) where it cannot run
		return new SftpBackend(OpenSshServer.getOrSkip().settings(context.root()), context.bufferFactory());
	}

}
