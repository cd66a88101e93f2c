package dev.objectstorage.sftp;

import java.nio.file.Path;
import java.time.Duration;

import dev.objectstorage.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link SftpSettings} name an invalid setting as data, without a server.
 */
class SftpSettingsTests {

	private final SftpSettings valid = SftpSettings.builder().host("h").username("u").password("p").build();

	@Test
	void anInvalidValueNamesItsSetting() {
		assertInvalid("host", () -> SftpSettings.builder().username("u").password("p").build());
		assertInvalid("username", () -> SftpSettings.builder().host("h").password("p").build());
		assertInvalid("password", () -> SftpSettings.builder().host("h").username("u").build());
		assertInvalid("port", () -> this.valid.toBuilder().port(65536).build());
		assertInvalid("privateKey",
				() -> this.valid.toBuilder().privateKey("key").privateKeyPath(Path.of("/id_ed25519")).build());
		assertInvalid("privateKey", () -> this.valid.toBuilder().privateKey(" ").build());
		// the message echoes the root, which contains 'host': still the root is the setting
		assertInvalid("root", () -> this.valid.toBuilder().root("/srv/host/../x").build());
		assertInvalid("maxChannels", () -> this.valid.toBuilder().maxChannels(0).build());
		assertInvalid("channelsPerSession", () -> this.valid.toBuilder().channelsPerSession(0).build());
		assertInvalid("connectTimeout", () -> this.valid.toBuilder().connectTimeout(Duration.ZERO).build());
		assertInvalid("authTimeout", () -> this.valid.toBuilder().authTimeout(null).build());
		assertInvalid("acquireTimeout", () -> this.valid.toBuilder().acquireTimeout(Duration.ofSeconds(-1)).build());
		assertInvalid("readChunkSize", () -> this.valid.toBuilder().readChunkSize(100).build());
		assertInvalid("requestsInFlight", () -> this.valid.toBuilder().requestsInFlight(0).build());
		assertInvalid("tempMaxAge", () -> this.valid.toBuilder().tempMaxAge(Duration.ofSeconds(-1)).build());
		assertThat(catchThrowableOfType(InvalidSettingException.class,
				() -> this.valid.toBuilder().maxChannels(0).build()).owner()).isEqualTo("SFTP");
	}

	private static void assertInvalid(String setting, ThrowingSupplier<?> build) {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class, build::get);
		assertThat(ex).as("an invalid " + setting).isNotNull();
		assertThat(ex.setting()).isEqualTo(setting);
		assertThat(ex.getMessage()).startsWith("SFTP setting '" + setting + "' ");
	}

}
