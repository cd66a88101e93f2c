package dev.objectstorage.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What rclone's SFTP server ({@code rclone serve sftp}, see {@link RcloneSftpServer}) claims without
 * doing, and what the backend makes of it: never "success" with nothing stored, never the bytes of
 * one version under the metadata of another.
 */
class RcloneSftpIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static RcloneSftpServer server;

	/** The server, started on first use; each test is skipped (with an install hint) where it cannot run. */
	@BeforeEach
	void server() {
		server = RcloneSftpServer.getOrSkip();
	}

	private static String root() {
		return "it-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static ObjectStorage storage(SftpBackend backend) {
		return ObjectStorage.builder().name("rclone-test").backend(backend).build();
	}

	private static Flux<DataBuffer> bytes(byte[] data) {
		return Flux.just(data).map(DefaultDataBufferFactory.sharedInstance::wrap);
	}

	private static List<Path> filesNamed(Path directory, String prefix) throws IOException {
		if (!Files.exists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter((f) -> f.getFileName().toString().startsWith(prefix)).toList();
		}
	}

	/**
	 * rclone answers hardlink@openssh.com with OK and makes no link; the backend used to trust it,
	 * remove the temporary file and report success with nothing stored.
	 */
	@Test
	void ifNotExistsStoresTheObjectOrFailsUnsupported() throws IOException {
		String root = root();
		SftpBackend backend = new SftpBackend(server.settings(root));
		try (ObjectStorage storage = storage(backend)) {
			for (int i = 0; i < 2; i++) { // the second time with what the backend found out the first time
				String path = "create/new-" + i + ".txt";
				byte[] data = StorageTck.utf8("created " + i);
				StorageException failure = null;
				try {
					ObjectMetadata written = storage
						.write(path, bytes(data), WriteOptions.defaults().withIfNotExists(true))
						.block(TIMEOUT);
					assertThat(written.size()).isEqualTo(data.length);
				}
				catch (StorageException ex) {
					failure = ex;
				}
				if (failure == null) {
					assertThat(StorageTck.collect(storage.read(path))).isEqualTo(data);
				}
				else {
					assertThat(failure.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
					assertThat(failure.getMessage()).contains("hardlink@openssh.com").contains("atomicCreate");
					assertThat(storage.exists(path).block(TIMEOUT)).isFalse();
				}
			}
			assertThat(backend.hardLinks()).isEqualTo(SftpPublisher.HardLinks.FAKE);
			// an existing object is still refused as a failed condition, and left as it was
			storage.write("create/existing.txt", StorageTck.utf8("first")).block(TIMEOUT);
			StorageException exists = catchThrowableOfType(StorageException.class,
					() -> storage
						.write("create/existing.txt", bytes(StorageTck.utf8("second")),
								WriteOptions.defaults().withIfNotExists(true))
						.block(TIMEOUT));
			assertThat(exists.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			assertThat(StorageTck.collect(storage.read("create/existing.txt"))).isEqualTo(StorageTck.utf8("first"));
		}
		// no temporary file, probe or sidecar of a failed write stays behind
		assertThat(filesNamed(server.dataDirectory().resolve(root), SftpMetadata.TEMP_PREFIX)).isEmpty();
	}

	@Test
	void atomicCreateOffDeclaresIfNotExistsUnsupported() {
		SftpBackend backend = new SftpBackend(server.settingsBuilder(root()).atomicCreate(false).build());
		try (ObjectStorage storage = storage(backend)) {
			assertThat(storage.capabilities().writeWithIfNotExists()).isFalse();
			StorageException failure = catchThrowableOfType(StorageException.class,
					() -> storage
						.write("off/a.txt", bytes(StorageTck.utf8("x")), WriteOptions.defaults().withIfNotExists(true))
						.block(TIMEOUT));
			assertThat(failure.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
			assertThat(storage.exists("off/a.txt").block(TIMEOUT)).isFalse();
		}
	}

	/**
	 * rclone reads through an open handle whatever the path holds now: an object replaced by one of
	 * the same size while a content streams must not pass for the version opened.
	 */
	@Test
	void contentReplacedWhileOpenFailsInsteadOfStreamingTheNewBytes() {
		byte[] first = StorageTck.randomBytes(300_000, 1);
		byte[] second = StorageTck.randomBytes(300_000, 2);
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root())))) {
			ObjectMetadata written = storage.write("pinned/same-size.bin", first).block(TIMEOUT);
			ObjectContent content = storage.open("pinned/same-size.bin").block(TIMEOUT);
			ObjectMetadata replaced = storage.write("pinned/same-size.bin", second).block(TIMEOUT);
			assertThat(replaced.etag()).isNotEqualTo(written.etag());
			assertThat(content.metadata().etag()).isEqualTo(written.etag());
			try {
				assertThat(StorageTck.collect(content.body())).isEqualTo(first);
			}
			catch (StorageException ex) {
				assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			}
			assertThat(StorageTck.collect(storage.read("pinned/same-size.bin"))).isEqualTo(second);
		}
	}

}
