package dev.objectstorage.tck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.objectstorage.fs.FsBackend;
import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.layer.ConcurrencyLimitLayer;
import dev.objectstorage.layer.Layer;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.layer.TimeoutLayer;
import dev.objectstorage.spi.StorageBackend;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour suite against the fs backend behind every layer (metrics, retry, timeout,
 * concurrency limit): layers must keep every behaviour and release every buffer.
 */
class LayeredFsBehaviourTests extends StorageBehaviourTests {

	@TempDir
	Path directory;

	@Override
	protected StorageBackend createBackend(TckContext context) {
		return new FsBackend(FsSettings.builder().root(this.directory.resolve(context.root())).build(),
				context.bufferFactory());
	}

	@Override
	protected List<Layer> layers() {
		return List.of(new MetricsLayer(), new RetryLayer(RetryLayer.RetrySettings.defaults()),
				new TimeoutLayer(new TimeoutLayer.TimeoutSettings(Duration.ofSeconds(30), Duration.ofSeconds(30))),
				new ConcurrencyLimitLayer(64));
	}

}
