package dev.objectstorage.s3;

import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.tck.StorageBehaviourTests;
import dev.objectstorage.tck.TckContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The whole behaviour suite against npm's {@code s3rver} (on 127.0.0.1, see {@link S3rverServer}),
 * a server with older S3 semantics, configured as the documentation advises for such services:
 * {@code checksums=WHEN_REQUIRED} (s3rver would store the SDK's {@code aws-chunked} framing as the
 * content) and {@code conditionalWrites=DISABLED} (it ignores {@code If-None-Match} and
 * {@code If-Match} on writes). The suite skips the conditional-write cases for that capability only.
 */
class S3rverBehaviourTests extends StorageBehaviourTests {

	private static S3AsyncClient client;

	@AfterAll
	static void closeClient() {
		if (client != null) {
			client.close();
		}
	}

	/**
	 * Not run on s3rver: it writes an overwritten object in place ({@code fs.createWriteStream} on
	 * the object's own file, lib/stores/filesystem.js), so a GET in flight reads the truncated and
	 * rewritten file: its body stalls short of its {@code Content-Length} or mixes the two versions
	 * under the first one's headers (both seen here). No client can tell; the README says so for
	 * services of this kind.
	 */
	@Override
	@Test
	@Disabled("s3rver overwrites objects in place: a read in flight during an overwrite stalls or mixes versions")
	public void readDuringOverwriteSeesOneVersion() {
	}

	/** Not run on s3rver, for the same reason as {@link #readDuringOverwriteSeesOneVersion()}. */
	@Override
	@Test
	@Disabled("s3rver overwrites objects in place: a read in flight during an overwrite stalls or mixes versions")
	public void openIsPinnedToOneVersion() {
	}

	@Override
	protected StorageBackend createBackend(TckContext context) {
		// the server is started on first use: each test is skipped (with an install hint) where it cannot run
		S3rverServer server = S3rverServer.get();
		if (client == null) {
			client = S3Backend.createClient(server.settings(""));
		}
		return new S3Backend(server.settings(context.root()), client, context.bufferFactory());
	}

}
