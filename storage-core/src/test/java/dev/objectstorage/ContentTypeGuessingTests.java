package dev.objectstorage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.layer.ForwardingBackend;
import dev.objectstorage.memory.MemoryBackend;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ContentTypeGuessingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** Records the content type every write reaches the backend with. */
	static final class Recording extends ForwardingBackend {

		final List<@Nullable String> types = new ArrayList<>();

		private final Capabilities capabilities;

		Recording(StorageBackend delegate, Capabilities capabilities) {
			super(delegate);
			this.capabilities = capabilities;
		}

		@Override
		public Capabilities capabilities() {
			return this.capabilities;
		}

		@Override
		public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
			this.types.add(options.contentType());
			return super.write(path, content, options);
		}

	}

	private static Recording recording(boolean storesContentTypes) {
		return new Recording(new MemoryBackend(),
				Capabilities.full().writeWithContentType(storesContentTypes).build());
	}

	@Test
	void aWriteWithoutTypeGetsTheTypeOfItsExtension() {
		Recording backend = recording(true);
		ObjectStorage storage = ObjectStorage.builder().backend(backend).build();
		storage.write("photos/a.PNG", new byte[] { 1 }).block(TIMEOUT);
		storage.write("docs/b.txt", "x".getBytes()).block(TIMEOUT);
		storage.write("docs/c.json", Flux.empty(), WriteOptions.defaults()).block(TIMEOUT);
		assertThat(backend.types).containsExactly("image/png", "text/plain", "application/json");
		assertThat(storage.stat("photos/a.PNG").block(TIMEOUT).contentType()).isEqualTo("image/png");
	}

	@Test
	void theCallersTypeWins() {
		Recording backend = recording(true);
		ObjectStorage storage = ObjectStorage.builder().backend(backend).build();
		storage.write("a.png", Flux.empty(), WriteOptions.defaults().withContentType("application/x-mine"))
			.block(TIMEOUT);
		assertThat(backend.types).containsExactly("application/x-mine");
	}

	@Test
	void namesWithoutAKnownExtensionGetNoType() {
		Recording backend = recording(true);
		ObjectStorage storage = ObjectStorage.builder().backend(backend).build();
		for (String path : List.of("README", "dir.d/file", ".profile", "a.", "x.no-such-extension-here")) {
			storage.write(path, new byte[0]).block(TIMEOUT);
		}
		assertThat(backend.types).containsOnlyNulls().hasSize(5);
	}

	@Test
	void nothingIsGuessedWhenSwitchedOff() {
		Recording backend = recording(true);
		ObjectStorage storage = ObjectStorage.builder().backend(backend).guessContentType(false).build();
		storage.write("a.png", new byte[0]).block(TIMEOUT);
		assertThat(backend.types).containsOnlyNulls().hasSize(1);
	}

	@Test
	void nothingIsGuessedForABackendThatStoresNoContentTypes() {
		Recording backend = recording(false);
		ObjectStorage storage = ObjectStorage.builder().backend(backend).build();
		storage.write("a.png", new byte[0]).block(TIMEOUT);
		assertThat(backend.types).containsOnlyNulls().hasSize(1);
	}

	@Test
	void outputStreamsGuessToo() throws Exception {
		Recording backend = recording(true);
		ObjectStorage storage = ObjectStorage.builder().backend(backend).build();
		try (StorageOutputStream out = storage.openOutputStream("page.html", WriteOptions.defaults())) {
			out.write("<p>".getBytes());
		}
		assertThat(backend.types).containsExactly("text/html");
	}

}
