package dev.objectstorage.sftp;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole behaviour suite against OpenSSH's sshd (Debian's openssh-server, started on 127.0.0.1
 * by {@link OpenSshServer}), each test under its own root directory. Skipped where sshd cannot run,
 * unless {@code STORAGE_TEST_REQUIRE_SERVERS=true}.
 */
class OpenSshBehaviourTests extends StorageBehaviourTests {

	@BeforeAll
	static void server() {
		OpenSshServer.getOrSkip();
	}

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new SftpBackend(OpenSshServer.get().settings(context.root()), context.bufferFactory());
	}

}
