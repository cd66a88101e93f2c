package dev.objectstorage.sftp;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;

/**
 * The whole behaviour suite against rclone's SFTP server ({@code rclone serve sftp}, started on
 * 127.0.0.1 by {@link RcloneSftpServer}), each test under its own root directory. Skipped where
 * rclone cannot run, unless {@code STORAGE_TEST_REQUIRE_SERVERS=true}.
 * <p>
 * rclone's server has no atomic create-if-absent (it answers {@code hardlink@openssh.com} with OK
 * and makes no link, and its SFTP rename replaces), so the storage is configured as users of such a
 * server configure it, with {@link SftpSettings#atomicCreate()} off: the {@code ifNotExists} cases
 * are skipped by the capability. What the backend does when it is not told is checked by
 * {@link RcloneSftpIntegrationTests}.
 */
class RcloneSftpBehaviourTests extends StorageBehaviourTests {

	@Override
	protected StorageBackend createBackend(TckContext context) {
		// the server is started on first use: each test is skipped (with an install hint) where it cannot run
		return new SftpBackend(RcloneSftpServer.getOrSkip().settingsBuilder(context.root()).atomicCreate(false).build(), context.bufferFactory());
	}

}
