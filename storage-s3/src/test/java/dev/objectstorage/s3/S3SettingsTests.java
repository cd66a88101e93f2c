package dev.objectstorage.s3;

import dev.objectstorage.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link S3Settings} name an invalid setting as data, without a server.
 */
class S3SettingsTests {

	private final S3Settings valid = S3Settings.builder().bucket("b").build();

	@Test
	void anInvalidValueNamesItsSetting() {
		assertInvalid("bucket", () -> S3Settings.builder().build());
		assertInvalid("bucket", () -> S3Settings.builder().bucket(" ").build());
		assertInvalid("partSize", () -> this.valid.toBuilder().partSize(1024).build());
		assertInvalid("partSize", () -> this.valid.toBuilder().partSize(3L * 1024 * 1024 * 1024).build());
		assertInvalid("partsInFlight", () -> this.valid.toBuilder().partsInFlight(0).build());
		assertInvalid("maxConnections", () -> this.valid.toBuilder().maxConnections(0).build());
		assertInvalid("multipartCopyThreshold", () -> this.valid.toBuilder().multipartCopyThreshold(0).build());
		assertInvalid("sdkMaxAttempts", () -> this.valid.toBuilder().sdkMaxAttempts(0).build());
		// the missing half of a static key is the setting to fix
		assertInvalid("secretAccessKey", () -> this.valid.toBuilder().credentials("id", null).build());
		assertInvalid("accessKeyId", () -> this.valid.toBuilder().credentials(null, "secret-4711").build());
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> this.valid.toBuilder().partSize(1024).build());
		assertThat(ex.owner()).isEqualTo("S3");
		assertThat(ex).hasMessage("S3 setting 'partSize' must be at least 5 MiB (5242880 bytes), was 1024");
		assertThat(catchThrowableOfType(InvalidSettingException.class,
				() -> this.valid.toBuilder().credentials(null, "secret-4711").build()).getMessage())
			.doesNotContain("secret-4711");
	}

	@Test
	void theBuilderHasTheDefaultsAndNormalisesThePrefix() {
		assertThat(this.valid.prefix()).isEmpty();
		assertThat(this.valid.partSize()).isEqualTo(S3Settings.DEFAULT_PART_SIZE);
		assertThat(this.valid.partsInFlight()).isEqualTo(S3Settings.DEFAULT_PARTS_IN_FLIGHT);
		assertThat(this.valid.maxConnections()).isEqualTo(S3Settings.DEFAULT_MAX_CONNECTIONS);
		assertThat(this.valid.multipartCopyThreshold()).isEqualTo(S3Settings.MAX_COPY_OBJECT_SIZE);
		assertThat(this.valid.sdkMaxAttempts()).isEqualTo(S3Settings.DEFAULT_SDK_MAX_ATTEMPTS);
		assertThat(this.valid.checksums()).isEqualTo(S3Settings.Checksums.WHEN_SUPPORTED);
		assertThat(this.valid.conditionalWrites()).isEqualTo(S3Settings.ConditionalWrites.AUTO);
		assertThat(this.valid.toBuilder().prefix("/a/b").build().prefix()).isEqualTo("a/b/");
		assertThat(this.valid.toBuilder().build()).isEqualTo(this.valid);
	}

	private static void assertInvalid(String setting, ThrowingSupplier<?> build) {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class, build::get);
		assertThat(ex).as("an invalid " + setting).isNotNull();
		assertThat(ex.setting()).isEqualTo(setting);
		assertThat(ex.getMessage()).startsWith("S3 setting '" + setting + "' ");
	}

}
