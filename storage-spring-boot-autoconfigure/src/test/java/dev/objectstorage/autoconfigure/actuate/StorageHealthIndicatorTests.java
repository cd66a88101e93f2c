package dev.objectstorage.autoconfigure.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.azblob.AzureBlobBackend;
import dev.objectstorage.azblob.AzuriteServer;
import dev.objectstorage.fs.FsBackend;
import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3ProxyServer;
import dev.objectstorage.s3.S3Settings;
import dev.objectstorage.sftp.EmbeddedSftpServer;
import dev.objectstorage.sftp.SftpBackend;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.webdav.HttpdServer;
import dev.objectstorage.webdav.WebDavBackend;
import dev.objectstorage.webdav.WebDavSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage health indicator against real servers: UP only where the storage can really be used;
 * a missing bucket, container or root directory, refused credentials, and an unreachable service are
 * DOWN on the first probe, with the kind and a short reason; and the probe is neither retried nor
 * counted in the operation metrics.
 */
class StorageHealthIndicatorTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	Path temp;

	private static Health health(StorageBackend backend) {
		MetricsLayer metrics = new MetricsLayer();
		try (ObjectStorage storage = ObjectStorage.builder()
			.backend(backend)
			.layer(metrics)
			.layer(new RetryLayer(RetryLayer.RetrySettings.defaults()))
			.build()) {
			// not the default 2 s: a new client's first request (an SDK starting up) may take longer
			// on a busy machine, and no case here is about the probe's time limit
			Health health = new StorageHealthIndicator(storage, PROBE_TIMEOUT).health(true).block(TIMEOUT);
			assertThat(metrics.metrics(Operation.STAT).snapshot().count()).as("probes are not operations").isZero();
			return health;
		}
	}

	private static void assertDown(Health health, ErrorKind kind, String reason) {
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", kind);
		assertThat(String.valueOf(health.getDetails().get("message"))).contains(reason);
	}

	@Test
	void s3IsUpOnlyWithItsBucketAndKeys() {
		S3ProxyServer server = S3ProxyServer.get();
		assertThat(health(new S3Backend(server.settings("health/"))).getStatus()).isEqualTo(Status.UP);
		S3Settings missing = S3Settings.builder()
			.bucket("no-such-bucket")
			.endpoint(server.endpoint())
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
			.build();
		assertDown(health(new S3Backend(missing)), ErrorKind.CONFIG_INVALID, "no-such-bucket");
		Health wrongKey = health(new S3Backend(server.settings("health/")
			.toBuilder()
			.credentials(S3ProxyServer.ACCESS_KEY, "wrong-secret-4711")
			.build()));
		assertDown(wrongKey, ErrorKind.PERMISSION_DENIED, "403");
		assertThat(wrongKey.getDetails().toString()).doesNotContain("wrong-secret-4711");
	}

	@Test
	void anUnreachableServiceIsDownOnTheFirstProbe() {
		S3Settings unreachable = S3Settings.builder()
			.bucket("bucket")
			.endpoint(java.net.URI.create("http://127.0.0.1:1"))
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials("key", "secret")
			.build();
		Health health = health(new S3Backend(unreachable));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error")).isIn(ErrorKind.UNEXPECTED, ErrorKind.TIMEOUT);
		assertThat(String.valueOf(health.getDetails().get("message"))).isNotBlank();
	}

	@Test
	void azureIsDownWithoutItsContainer() {
		AzuriteServer server = AzuriteServer.get();
		assertThat(health(new AzureBlobBackend(server.settings("health/"))).getStatus()).isEqualTo(Status.UP);
		assertDown(health(new AzureBlobBackend(server.settings("health/").toBuilder().container("no-such-container").build())),
				ErrorKind.CONFIG_INVALID, "no-such-container");
	}

	@Test
	void sftpIsDownWithoutItsRoot() throws Exception {
		EmbeddedSftpServer server = EmbeddedSftpServer.get();
		String root = "health-" + UUID.randomUUID();
		Files.createDirectories(server.directory().resolve(root));
		assertThat(health(new SftpBackend(server.settings(root))).getStatus()).isEqualTo(Status.UP);
		Health missing = health(new SftpBackend(
				server.settingsBuilder("no-such-root-" + UUID.randomUUID()).createRoot(false).build()));
		assertDown(missing, ErrorKind.CONFIG_INVALID, "does not exist");
	}

	@Test
	void webdavIsDownWithoutItsCollectionOrWithTheWrongPassword() {
		HttpdServer server = HttpdServer.get();
		WebDavSettings settings = server.settings("health-" + UUID.randomUUID().toString().substring(0, 8));
		assertThat(health(new WebDavBackend(settings)).getStatus()).isEqualTo(Status.UP);
		WebDavSettings secured = server.securedSettings("health-" + UUID.randomUUID().toString().substring(0, 8));
		assertThat(health(new WebDavBackend(secured)).getStatus()).isEqualTo(Status.UP);
		Health refused = health(new WebDavBackend(
				secured.toBuilder().credentials(HttpdServer.USERNAME, "wrong-password-4711").build()));
		assertThat(refused.getStatus()).isEqualTo(Status.DOWN);
		assertThat(refused.getDetails()).containsEntry("error", ErrorKind.PERMISSION_DENIED);
		assertThat(refused.getDetails().toString()).doesNotContain("wrong-password-4711");
		WebDavSettings missing = settings.toBuilder()
			.baseUrl(settings.baseUrl().toString() + "no-such-collection/")
			.build();
		Health down = health(new WebDavBackend(missing));
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails().get("error")).isIn(ErrorKind.CONFIG_INVALID, ErrorKind.NOT_FOUND);
	}

	@Test
	void fsIsDownWhenItsRootIsGone() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("root"));
		FsBackend backend = new FsBackend(FsSettings.builder().root(root).tempMaxAge(Duration.ZERO).build());
		assertThat(health(backend).getStatus()).isEqualTo(Status.UP);
		FileSystemUtils.deleteRecursively(root);
		assertDown(health(new FsBackendOver(backend)), ErrorKind.CONFIG_INVALID, "gone");
	}

	/** The same backend again (a storage closes its backend; fs has nothing to close). */
	private static final class FsBackendOver extends dev.objectstorage.layer.ForwardingBackend {

		FsBackendOver(StorageBackend delegate) {
			super(delegate);
		}

	}

}
