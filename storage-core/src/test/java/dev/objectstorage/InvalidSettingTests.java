package dev.objectstorage;

import java.nio.file.Path;
import java.time.Duration;

import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.layer.ConcurrencyLimitLayer;
import dev.objectstorage.layer.RetryLayer.RetrySettings;
import dev.objectstorage.layer.TimeoutLayer.TimeoutSettings;
import dev.objectstorage.memory.MemoryBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Invalid settings of the fs backend, of the layers and of {@link ObjectStorage#builder()} name the
 * setting as data; misuse of the builder is an {@link IllegalStateException}.
 */
class InvalidSettingTests {

	@Test
	void fsSettingsNameTheInvalidSetting() {
		FsSettings valid = FsSettings.builder().root(Path.of("/tmp/x")).build();
		assertInvalid("fs", "root", () -> FsSettings.builder().build());
		assertInvalid("fs", "bufferSize", () -> valid.toBuilder().bufferSize(0).build());
		assertInvalid("fs", "mmapThreshold", () -> valid.toBuilder().mmapThreshold(-1).build());
		assertInvalid("fs", "tempMaxAge", () -> valid.toBuilder().tempMaxAge(Duration.ofSeconds(-1)).build());
		assertInvalid("fs", "tempMaxAge", () -> valid.toBuilder().tempMaxAge(null).build());
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> valid.toBuilder().bufferSize(-5).build());
		assertThat(ex).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("fs setting 'bufferSize' must be positive, was -5");
	}

	@Test
	void fsSettingsBuilderHasTheDefaultsAndStartsFromSettings() {
		FsSettings settings = FsSettings.builder().root(Path.of("/tmp/x")).build();
		assertThat(settings.createRoot()).isTrue();
		assertThat(settings.fsync()).isFalse();
		assertThat(settings.bufferSize()).isEqualTo(FsSettings.DEFAULT_BUFFER_SIZE);
		assertThat(settings.mmapThreshold()).isEqualTo(FsSettings.DEFAULT_MMAP_THRESHOLD);
		assertThat(settings.tempMaxAge()).isEqualTo(FsSettings.DEFAULT_TEMP_MAX_AGE);
		assertThat(settings.openOnEventLoop()).isFalse();
		FsSettings changed = settings.toBuilder().fsync(true).createRoot(false).build();
		assertThat(changed).isEqualTo(new FsSettings(Path.of("/tmp/x"), false, true, FsSettings.DEFAULT_BUFFER_SIZE,
				FsSettings.DEFAULT_MMAP_THRESHOLD, FsSettings.DEFAULT_TEMP_MAX_AGE, false));
	}

	@Test
	void layerSettingsNameTheInvalidSetting() {
		assertInvalid("RetryLayer", "maxAttempts",
				() -> new RetrySettings(0, Duration.ofMillis(1), Duration.ofMillis(2), 0.5));
		assertInvalid("RetryLayer", "initialBackoff",
				() -> new RetrySettings(3, Duration.ofMillis(-1), Duration.ofMillis(2), 0.5));
		assertInvalid("RetryLayer", "maxBackoff",
				() -> new RetrySettings(3, Duration.ofMillis(5), Duration.ofMillis(2), 0.5));
		assertInvalid("RetryLayer", "jitter", () -> new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(2), 2));
		assertInvalid("TimeoutLayer", "operation", () -> new TimeoutSettings(Duration.ZERO, Duration.ofSeconds(1)));
		assertInvalid("TimeoutLayer", "idle", () -> new TimeoutSettings(Duration.ofSeconds(1), null));
		assertInvalid("ConcurrencyLimitLayer", "maxConcurrent", () -> new ConcurrencyLimitLayer(0));
	}

	@Test
	void buildingAStorageWithoutABackendIsAnIllegalState() {
		assertThatIllegalStateException().isThrownBy(() -> ObjectStorage.builder().build())
			.withMessageContaining("backend");
		assertInvalid("ObjectStorage", "name", () -> ObjectStorage.builder().name(" "));
		assertInvalid("ObjectStorage", "backend", () -> ObjectStorage.builder().backend(null));
		assertInvalid("ObjectStorage", "layer", () -> ObjectStorage.builder().layer(null));
		try (ObjectStorage storage = ObjectStorage.builder().name("n").backend(new MemoryBackend()).build()) {
			assertThat(storage.name()).isEqualTo("n");
		}
	}

	private static void assertInvalid(String owner, String setting, ThrowingSupplier<?> build) {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class, build::get);
		assertThat(ex).as("an invalid " + setting).isNotNull();
		assertThat(ex.setting()).isEqualTo(setting);
		assertThat(ex.owner()).isEqualTo(owner);
		assertThat(ex.getMessage()).startsWith(owner + " setting '" + setting + "' ");
	}

}
