package dev.objectstorage.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.autoconfigure.azblob.AzureBlobClientCustomizer;
import dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails;
import dev.objectstorage.azblob.AzureBlobBackend;
import dev.objectstorage.azblob.AzuriteServer;
import dev.objectstorage.sftp.EmbeddedSftpServer;
import dev.objectstorage.sftp.SftpBackend;
import dev.objectstorage.webdav.HttpdServer;
import dev.objectstorage.webdav.WebDavBackend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The azblob, webdav and sftp types: each configured from properties alone talks to a real server
 * (Azurite, Apache httpd, an embedded SSH server), and each wrong or missing setting fails at
 * startup with an analysis that names the property.
 */
class MoreBackendsAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	private static void roundTrip(ObjectStorage storage, String scheme) {
		assertThat(storage.scheme()).isEqualTo(scheme);
		storage.write("dir/x.txt", ("via spring to " + scheme).getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
		assertThat(new String(storage.readAllBytes("dir/x.txt").block(TIMEOUT), StandardCharsets.UTF_8))
			.isEqualTo("via spring to " + scheme);
		storage.delete("dir/x.txt").block(TIMEOUT);
		assertThat(storage.exists("dir/x.txt").block(TIMEOUT)).isFalse();
	}

	private static FailureAnalysis analysis(Throwable failure) {
		FailureAnalysis analysis = new StorageConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Test
	void azblobStorageFromPropertiesTalksToAzurite() {
		AzuriteServer server = AzuriteServer.get();
		AtomicInteger customized = new AtomicInteger();
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.endpoint=" + server.endpoint(),
					"storage.azblob.account-name=" + AzuriteServer.ACCOUNT_NAME,
					"storage.azblob.account-key=" + AzuriteServer.ACCOUNT_KEY,
					"storage.azblob.container=" + AzuriteServer.CONTAINER,
					"storage.azblob.prefix=autoconfig-" + System.nanoTime(), "storage.azblob.block-size=1MB")
			.withBean(AzureBlobClientCustomizer.class, () -> (name, builder) -> customized.incrementAndGet())
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				roundTrip(storage, "azblob");
				assertThat(storage.location()).contains(AzuriteServer.CONTAINER)
					.doesNotContain(AzuriteServer.ACCOUNT_KEY);
				assertThat(customized.get()).isEqualTo(1);
			});
	}

	@Test
	void azblobConnectionDetailsReplaceTheAccountProperties() {
		AzuriteServer server = AzuriteServer.get();
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.account-name=not-this-account",
					"storage.azblob.endpoint=http://127.0.0.1:9", "storage.azblob.container=" + AzuriteServer.CONTAINER,
					"storage.azblob.prefix=autoconfig-" + System.nanoTime())
			.withBean(AzureBlobConnectionDetails.class, () -> server::connectionString)
			.run((context) -> roundTrip(context.getBean(ObjectStorage.class), "azblob"));
		// with no account at all in the properties, the details are enough
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.container=" + AzuriteServer.CONTAINER,
					"storage.azblob.prefix=autoconfig-" + System.nanoTime())
			.withBean(AzureBlobConnectionDetails.class, () -> server::connectionString)
			.run((context) -> roundTrip(context.getBean(ObjectStorage.class), "azblob"));
	}

	@Test
	void azblobStorageFromAConnectionString() {
		AzuriteServer server = AzuriteServer.get();
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.connection-string=" + server.connectionString(),
					"storage.azblob.container=" + AzuriteServer.CONTAINER,
					"storage.azblob.prefix=autoconfig-" + System.nanoTime())
			.run((context) -> roundTrip(context.getBean(ObjectStorage.class), "azblob"));
	}

	@Test
	void webdavStorageFromPropertiesTalksToHttpd() {
		HttpdServer server = HttpdServer.get();
		this.contextRunner
			.withPropertyValues("storage.type=webdav",
					"storage.webdav.base-url=" + server.securedSettings("").baseUrl(),
					"storage.webdav.root=autoconfig-" + System.nanoTime(),
					"storage.webdav.username=" + HttpdServer.USERNAME, "storage.webdav.password=" + server.password())
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				roundTrip(storage, "webdav");
				assertThat(storage.location()).doesNotContain(server.password());
			});
	}

	@Test
	void sftpStorageFromPropertiesTalksToTheServer() {
		EmbeddedSftpServer server = EmbeddedSftpServer.get();
		this.contextRunner
			.withPropertyValues("storage.type=sftp", "storage.sftp.host=127.0.0.1",
					"storage.sftp.port=" + server.port(), "storage.sftp.username=" + EmbeddedSftpServer.USERNAME,
					"storage.sftp.password=" + server.password(),
					"storage.sftp.known-hosts=" + server.knownHosts(),
					"storage.sftp.root=/autoconfig-" + System.nanoTime(), "storage.sftp.max-channels=2")
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				roundTrip(storage, "sftp");
				assertThat(storage.location()).doesNotContain(server.password());
			});
	}

	@Test
	void requiredSettingsAreNamedWhenMissing() {
		this.contextRunner.withPropertyValues("storage.type=azblob", "storage.azblob.account-name=a").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.azblob.container");
			assertThat(analysis.getAction()).contains("Set storage.azblob.container");
		});
		this.contextRunner.withPropertyValues("storage.instances.docs.type=webdav").run((context) -> {
			assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.instances.docs.webdav.base-url");
		});
		this.contextRunner.withPropertyValues("storage.type=sftp", "storage.sftp.username=u").run((context) -> {
			assertThat(analysis(context.getStartupFailure()).getDescription()).contains("storage.sftp.host");
		});
	}

	@Test
	void invalidSettingsAreReportedAsTheirProperty() {
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.account-name=a", "storage.azblob.container=files",
					"storage.azblob.blocks-in-flight=0")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.azblob.blocks-in-flight"));
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.account-name=a",
					"storage.azblob.container=Not_Valid")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.azblob.container"));
		this.contextRunner
			.withPropertyValues("storage.type=webdav", "storage.webdav.base-url=ftp://127.0.0.1/")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.webdav.base-url"));
		this.contextRunner
			.withPropertyValues("storage.type=sftp", "storage.sftp.host=127.0.0.1", "storage.sftp.username=u",
					"storage.sftp.password=p", "storage.sftp.max-channels=0")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.sftp.max-channels"));
		this.contextRunner
			.withPropertyValues("storage.type=sftp", "storage.sftp.host=127.0.0.1", "storage.sftp.username=u")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.sftp.password"));
	}

	@Test
	void theNamedPropertyIsTheOneAtFaultNotOneAValueMentions() {
		// the message echoes the root, which contains 'host': still the root is named
		this.contextRunner
			.withPropertyValues("storage.type=sftp", "storage.sftp.host=127.0.0.1", "storage.sftp.username=u",
					"storage.sftp.password=p", "storage.sftp.root=/srv/host/../x")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.sftp.root"));
		// the message mentions sasToken as the remedy: still the endpoint is named, and the SAS is not shown
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.account-name=a", "storage.azblob.container=files",
					"storage.azblob.endpoint=https://a.blob.core.windows.net/?sv=1&sig=not-for-logs")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.azblob.endpoint")
				.doesNotContain("not-for-logs"));
		this.contextRunner
			.withPropertyValues("storage.type=azblob", "storage.azblob.account-name=a", "storage.azblob.container=files",
					"storage.azblob.prefix=app./x")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.azblob.prefix"));
	}

	@Test
	void anUnreadablePrivateKeyNamesTheKeyProperty() {
		this.contextRunner
			.withPropertyValues("storage.type=sftp", "storage.sftp.host=127.0.0.1", "storage.sftp.username=u",
					"storage.sftp.private-key-path=/nonexistent/id_ed25519")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: storage.sftp.private-key-path");
				assertThat(analysis.getAction()).contains("storage.sftp.private-key-passphrase");
			});
	}

	@Test
	void aMissingBackendModuleIsNamed() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(AzureBlobBackend.class, WebDavBackend.class, SftpBackend.class))
			.withPropertyValues("storage.instances.a.type=azblob", "storage.instances.w.type=webdav",
					"storage.instances.s.type=sftp", "storage.primary=a")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).containsPattern("type needs dev.objectstorage:storage-(azblob|webdav|sftp)");
				assertThat(analysis.getAction()).contains("one of fs, memory, s3.");
			});
	}

}
