package dev.objectstorage.tck;

import java.nio.file.Path;

import dev.objectstorage.fs.FsBackend;
import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.spi.StorageBackend;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour suite against the fs backend, in a temporary directory.
 */
class FsBehaviourTests extends StorageBehaviourTests {

	@TempDir
	Path directory;

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new FsBackend(FsSettings.builder().root(this.directory.resolve(context.root())).build(),
				context.bufferFactory());
	}

}
