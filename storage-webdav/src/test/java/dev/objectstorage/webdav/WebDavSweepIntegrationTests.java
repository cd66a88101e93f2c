package dev.objectstorage.webdav;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The sweep of temporary resources left behind by writers that died mid-write, against the real
 * httpd ({@link HttpdServer}), whose files are aged on its disk.
 */
class WebDavSweepIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static HttpdServer server;

	/** The server, started on first use; each test is skipped (with an install hint) where it cannot run. */
	@BeforeEach
	void start() {
		server = HttpdServer.get();
	}

	private static String root(String name) {
		return "it-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static int send(String method, URI url, String body) throws IOException, InterruptedException {
		HttpRequest.BodyPublisher publisher = (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(url).method(method, publisher).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static void age(Path file) throws IOException {
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
	}

	@Test
	void theSweepDeletesExactlyTheOldTemporaryResourcesOfThisBackend() throws Exception {
		String root = root("sweep");
		WebDavSettings settings = server.settings(root).toBuilder().tempMaxAge(Duration.ZERO).build();
		WebDavBackend backend = new WebDavBackend(settings);
		try {
			backend.write("dir/object.txt", Flux.just(
					backend.bufferFactory().wrap("kept".getBytes())), WriteOptions.defaults())
				.block(TIMEOUT);
			URI base = server.baseUrl().resolve(root + "/dir/");
			Path disk = server.documentRoot().resolve(root).resolve("dir");
			String oldTemp = DavClient.TEMP_PREFIX + DavClient.randomTag();
			String freshTemp = DavClient.TEMP_PREFIX + DavClient.randomTag();
			String oldOther = DavClient.TEMP_PREFIX + "not-a-tag";
			String oldLock = DavClient.TEMP_PREFIX + "lock-0123456789abcdef0123456789abcdef";
			String freshLock = DavClient.TEMP_PREFIX + "lock-fedcba9876543210fedcba9876543210";
			String oldOtherCollection = DavClient.TEMP_PREFIX + "lock-x";
			for (String name : new String[] { oldTemp, freshTemp, oldOther }) {
				assertThat(send("PUT", base.resolve(name), "left behind")).isEqualTo(201);
			}
			for (String name : new String[] { oldLock, freshLock, oldOtherCollection }) {
				assertThat(send("MKCOL", base.resolve(name + "/"), null)).isEqualTo(201);
			}
			// a temporary resource of the root collection too, and one nested deeper
			String oldRootTemp = DavClient.TEMP_PREFIX + DavClient.randomTag();
			assertThat(send("PUT", server.baseUrl().resolve(root + "/" + oldRootTemp), "left behind")).isEqualTo(201);
			for (String name : new String[] { oldTemp, oldOther, oldLock, oldOtherCollection }) {
				age(disk.resolve(name));
			}
			age(disk.getParent().resolve(oldRootTemp));
			// the object itself is old as well: only temporary names are swept
			age(disk.resolve("object.txt"));

			assertThat(backend.sweepTemporaries(Duration.ofHours(24)).block(TIMEOUT)).isEqualTo(3);

			assertThat(disk.resolve(oldTemp)).doesNotExist();
			assertThat(disk.resolve(oldLock)).doesNotExist();
			assertThat(disk.getParent().resolve(oldRootTemp)).doesNotExist();
			assertThat(disk.resolve(freshTemp)).exists();
			assertThat(disk.resolve(oldOther)).exists();
			assertThat(disk.resolve(freshLock)).isDirectory();
			assertThat(disk.resolve(oldOtherCollection)).isDirectory();
			assertThat(disk.resolve("object.txt")).exists();
			byte[] content = Flux.from(backend.open("dir/object.txt",
					ReadOptions.defaults()).flatMapMany(ObjectContent::body))
				.reduce(new StringBuilder(), (text, buffer) -> {
					text.append(buffer.toString(StandardCharsets.UTF_8));
					DataBufferUtils.release(buffer);
					return text;
				})
				.map((text) -> text.toString().getBytes())
				.block(TIMEOUT);
			assertThat(new String(content)).isEqualTo("kept");
			assertThat(backend.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path)
				.collectList().block(TIMEOUT)).containsExactly("dir/object.txt");

			// nothing left to sweep
			assertThat(backend.sweepTemporaries(Duration.ofHours(24)).block(TIMEOUT)).isZero();
		}
		finally {
			backend.close();
		}
	}

	@Test
	void theBackgroundSweepRunsOnStartAndIsOffWithZero() throws Exception {
		String root = root("sweep-start");
		WebDavSettings settings = server.settings(root).toBuilder().tempMaxAge(Duration.ZERO).build();
		WebDavBackend setup = new WebDavBackend(settings);
		String oldTemp = DavClient.TEMP_PREFIX + DavClient.randomTag();
		Path disk = server.documentRoot().resolve(root);
		try {
			setup.write("object.txt", Flux.just(setup.bufferFactory().wrap("x".getBytes())),
					WriteOptions.defaults()).block(TIMEOUT);
			assertThat(send("PUT", server.baseUrl().resolve(root + "/" + oldTemp), "left behind")).isEqualTo(201);
			age(disk.resolve(oldTemp));
		}
		finally {
			setup.close();
		}
		new WebDavBackend(settings).close(); // off: nothing to wait for
		assertThat(disk.resolve(oldTemp)).exists();
		WebDavBackend started = new WebDavBackend(server.settings(root)); // the default: 24 hours
		try {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (Files.exists(disk.resolve(oldTemp)) && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(disk.resolve(oldTemp)).doesNotExist();
			assertThat(disk.resolve("object.txt")).exists();
		}
		finally {
			started.close();
		}
	}

	@Test
	void tempMaxAgeDefaultsTo24HoursAndMustNotBeNegative() {
		assertThat(server.settings("x").tempMaxAge()).isEqualTo(Duration.ofHours(24));
		assertThat(server.settings("x").toBuilder().tempMaxAge(Duration.ZERO).build().tempMaxAge()).isZero();
		InvalidSettingException negative = catchThrowableOfType(InvalidSettingException.class,
				() -> server.settings("x").toBuilder().tempMaxAge(Duration.ofSeconds(-1)).build());
		assertThat(negative.setting()).isEqualTo("tempMaxAge");
		InvalidSettingException missing = catchThrowableOfType(InvalidSettingException.class,
				() -> server.settings("x").toBuilder().tempMaxAge(null).build());
		assertThat(missing.setting()).isEqualTo("tempMaxAge");
	}

}
