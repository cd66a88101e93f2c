package dev.objectstorage.azblob;

import java.net.URI;

import dev.objectstorage.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link AzureBlobSettings} name an invalid setting as data, without a server.
 */
class AzureBlobSettingsTests {

	private final AzureBlobSettings valid = AzureBlobSettings.builder().accountName("a").container("files").build();

	@Test
	void anInvalidValueNamesItsSetting() {
		assertInvalid("container", () -> AzureBlobSettings.builder().accountName("a").build());
		assertInvalid("container", () -> this.valid.toBuilder().container("Not_Valid").build());
		assertInvalid("accountName", () -> AzureBlobSettings.builder().container("files").build());
		assertInvalid("prefix", () -> this.valid.toBuilder().prefix("app./x").build());
		assertInvalid("blockSize", () -> this.valid.toBuilder().blockSize(0).build());
		assertInvalid("blocksInFlight", () -> this.valid.toBuilder().blocksInFlight(0).build());
		assertInvalid("maxSingleUploadSize", () -> this.valid.toBuilder().maxSingleUploadSize(0).build());
		assertInvalid("sdkMaxAttempts", () -> this.valid.toBuilder().sdkMaxAttempts(0).build());
		assertInvalid("accountKey", () -> this.valid.toBuilder().accountKey("a2V5").sasToken("sv=x&sig=y").build());
		assertInvalid("endpoint", () -> this.valid.toBuilder().endpoint(URI.create("ftp://host/")).build());
		InvalidSettingException sas = catchThrowableOfType(InvalidSettingException.class,
				() -> this.valid.toBuilder().endpoint(URI.create("https://a.blob.core.windows.net/?sig=not-for-logs"))
					.build());
		assertThat(sas.setting()).isEqualTo("endpoint");
		assertThat(sas.owner()).isEqualTo("Azure Blob");
		assertThat(sas.getMessage()).doesNotContain("not-for-logs");
	}

	@Test
	void theLargestSingleUploadFollowsTheBlocksInFlightUnlessSet() {
		assertThat(this.valid.maxSingleUploadSize()).isEqualTo(32L * 1024 * 1024);
		assertThat(this.valid.toBuilder().blockSize(1024).build().maxSingleUploadSize()).isEqualTo(4096);
		assertThat(this.valid.toBuilder().blockSize(1024).blocksInFlight(2).build().maxSingleUploadSize())
			.isEqualTo(2048);
		assertThat(this.valid.toBuilder().blockSize(AzureBlobSettings.MAX_BLOCK_SIZE).build().maxSingleUploadSize())
			.isEqualTo(AzureBlobSettings.MAX_BLOCK_SIZE);
		AzureBlobSettings set = this.valid.toBuilder().maxSingleUploadSize(5000).build();
		assertThat(set.toBuilder().blockSize(1024).build().maxSingleUploadSize()).isEqualTo(5000);
		assertInvalid("maxSingleUploadSize",
				() -> this.valid.toBuilder().maxSingleUploadSize(AzureBlobSettings.MAX_BLOCK_SIZE + 1).build());
	}

	private static void assertInvalid(String setting, ThrowingSupplier<?> build) {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class, build::get);
		assertThat(ex).as("an invalid " + setting).isNotNull();
		assertThat(ex.setting()).isEqualTo(setting);
		assertThat(ex.getMessage()).startsWith("Azure Blob setting '" + setting + "' ");
	}

}
