package dev.objectstorage.webdav;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.StorageBackend;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the servers other than httpd get wrong, and that the backend neither fails silently nor
 * claims what the server cannot do: the metadata probe, the metadata setting, and the error kinds
 * of refused properties.
 */
class WebDavServerQuirksTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static String root() {
		return "quirks-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static ObjectStorage storage(StorageBackend backend) {
		return ObjectStorage.builder().name("quirks").backend(backend).build();
	}

	private static Flux<DataBuffer> content(String text) {
		return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes())));
	}

	private static boolean metadata(Capabilities caps) {
		return caps.writeWithContentType() && caps.writeWithUserMetadata() && caps.writeWithCacheControl()
				&& caps.writeWithContentDisposition();
	}

	@Test
	void theProbeFindsDeadPropertiesOnHttpdAndLighttpdOnly() {
		HttpdServer.checkInstalled();
		try (ObjectStorage httpd = storage(new WebDavBackend(HttpdServer.get().settings(root())))) {
			assertThat(metadata(httpd.capabilities())).isTrue();
		}
		try (ObjectStorage lighttpd = storage(new WebDavBackend(LighttpdServer.get().settings(root())))) {
			assertThat(metadata(lighttpd.capabilities())).isTrue();
		}
		try (ObjectStorage nginx = storage(new WebDavBackend(NginxServer.get().settings(root())))) {
			assertThat(metadata(nginx.capabilities())).isFalse();
		}
		try (ObjectStorage rclone = storage(new WebDavBackend(RcloneWebDavServer.get().settings(root())))) {
			assertThat(metadata(rclone.capabilities())).isFalse();
		}
		try (ObjectStorage node = storage(new WebDavBackend(NodeWebDavServer.get().settings(root())))) {
			assertThat(metadata(node.capabilities())).isFalse();
		}
	}

	@Test
	void metadataOnAServerWithoutDeadPropertiesIsUnsupportedAndPlainWritesStillWork() {
		WebDavSettings nginx = NginxServer.get().settingsBuilder(root()).metadata(WebDavSettings.Metadata.ENABLED).build();
		WebDavSettings rclone = RcloneWebDavServer.get()
			.settingsBuilder(root())
			.metadata(WebDavSettings.Metadata.ENABLED)
			.build();
		for (WebDavSettings settings : new WebDavSettings[] { nginx, rclone }) {
			// a content type guessed from the name is metadata too: told the server keeps metadata, the
			// storage would guess one for 'b.txt', and that write would fail as UNSUPPORTED as well
			try (ObjectStorage storage = ObjectStorage.builder().name("quirks").backend(new WebDavBackend(settings))
				.guessContentType(false).build()) {
				assertThat(metadata(storage.capabilities())).isTrue(); // as told
				StorageException ex = catchThrowableOfType(StorageException.class,
						() -> storage.write("a.txt", content("x"),
								WriteOptions.defaults().withUserMetadata(Map.of("k", "v"))).block(TIMEOUT));
				assertThat(ex.kind()).as(ex.getMessage()).isEqualTo(ErrorKind.UNSUPPORTED);
				assertThat(ex.getMessage()).contains("storage.webdav.metadata=disabled");
				assertThat(storage.exists("a.txt").block(TIMEOUT)).isFalse();
				ObjectMetadata written = storage.write("b.txt", "plain".getBytes()).block(TIMEOUT);
				assertThat(storage.stat("b.txt").block(TIMEOUT).etag()).isEqualTo(written.etag());
				storage.delete("b.txt").block(TIMEOUT);
			}
		}
	}

	@Test
	void disabledMetadataTurnsTheCapabilitiesOffAndWritesWithoutProperties() {
		HttpdServer.checkInstalled();
		WebDavSettings settings = HttpdServer.get()
			.settings(root())
			.toBuilder()
			.metadata(WebDavSettings.Metadata.DISABLED)
			.build();
		try (ObjectStorage storage = storage(new WebDavBackend(settings))) {
			assertThat(metadata(storage.capabilities())).isFalse();
			assertThat(catchThrowableOfType(StorageException.class, () -> storage.write("a.txt", content("x"),
					WriteOptions.defaults().withContentType("text/plain")).block(TIMEOUT)).kind())
				.isEqualTo(ErrorKind.UNSUPPORTED);
			ObjectMetadata first = storage.write("b.txt", "one".getBytes()).block(TIMEOUT);
			ObjectMetadata second = storage.write("b.txt", "two".getBytes()).block(TIMEOUT);
			assertThat(second.etag()).isNotEqualTo(first.etag());
			assertThat(storage.stat("b.txt").block(TIMEOUT).etag()).isEqualTo(second.etag());
			storage.delete("b.txt").block(TIMEOUT);
		}
	}

	@Test
	void dotNamesOnNginxAreRefusedUnlessEscaped() {
		WebDavSettings plain = NginxServer.get().settingsBuilder(root()).escapeLeadingDots(false).build();
		try (ObjectStorage storage = storage(new WebDavBackend(plain))) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.write("dir/.hidden", "x".getBytes()).block(TIMEOUT));
			assertThat(ex.kind()).as(ex.getMessage()).isEqualTo(ErrorKind.UNSUPPORTED);
			assertThat(ex.getMessage()).contains("escape-leading-dots");
			assertThat(storage.exists("dir/.hidden").block(TIMEOUT)).isFalse();
		}
	}

}
