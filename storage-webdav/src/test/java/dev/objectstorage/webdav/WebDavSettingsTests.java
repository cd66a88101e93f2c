package dev.objectstorage.webdav;

import java.time.Duration;

import dev.objectstorage.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link WebDavSettings} name an invalid setting as data, without a server.
 */
class WebDavSettingsTests {

	private final WebDavSettings valid = WebDavSettings.builder("http://127.0.0.1/dav/").build();

	@Test
	void anInvalidValueNamesItsSetting() {
		assertInvalid("baseUrl", () -> WebDavSettings.builder(" ").build());
		assertInvalid("baseUrl", () -> WebDavSettings.builder("ftp://127.0.0.1/").build());
		assertInvalid("baseUrl", () -> WebDavSettings.builder("http://127.0.0.1/a b^").build());
		assertInvalid("root", () -> this.valid.toBuilder().root("a/../b").build());
		assertInvalid("password", () -> this.valid.toBuilder().credentials("u", null).build());
		assertInvalid("username", () -> this.valid.toBuilder().credentials(null, "p").build());
		assertInvalid("username", () -> this.valid.toBuilder().credentials("u:v", "p").build());
		assertInvalid("maxConnections", () -> this.valid.toBuilder().maxConnections(0).build());
		assertInvalid("connectTimeout", () -> this.valid.toBuilder().connectTimeout(Duration.ZERO).build());
		assertInvalid("responseTimeout", () -> this.valid.toBuilder().responseTimeout(null).build());
		assertInvalid("lockTimeout", () -> this.valid.toBuilder().lockTimeout(Duration.ofSeconds(-1)).build());
		assertInvalid("tempMaxAge", () -> this.valid.toBuilder().tempMaxAge(Duration.ofSeconds(-1)).build());
		assertInvalid("metadata", () -> this.valid.toBuilder().metadata(null).build());
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class,
				() -> WebDavSettings.builder("http://user:pw@127.0.0.1/").build());
		assertThat(ex.owner()).isEqualTo("WebDAV");
		assertThat(ex.getMessage()).doesNotContain("pw@");
	}

	private static void assertInvalid(String setting, ThrowingSupplier<?> build) {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class, build::get);
		assertThat(ex).as("an invalid " + setting).isNotNull();
		assertThat(ex.setting()).isEqualTo(setting);
		assertThat(ex.getMessage()).startsWith("WebDAV setting '" + setting + "' ");
	}

}
