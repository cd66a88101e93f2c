package dev.objectstorage.layer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.memory.MemoryBackend;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferUtils;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link ObservationLayer} against Micrometer's test registry: one observation per operation, with
 * its outcome, ended when the operation really ends, and a child of the caller's observation.
 */
class ObservationLayerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	/** Every storage observation started, and which have stopped. */
	private final List<StorageObservationContext> started = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final java.util.Set<StorageObservationContext> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

	{
		this.registry.observationConfig().observationHandler(new ObservationHandler<StorageObservationContext>() {

			@Override
			public void onStart(StorageObservationContext context) {
				ObservationLayerTests.this.started.add(context);
			}

			@Override
			public void onStop(StorageObservationContext context) {
				ObservationLayerTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof StorageObservationContext;
			}

		});
	}

	private ObjectStorage storage(boolean includePath) {
		return ObjectStorage.builder()
			.name("files")
			.backend(new MemoryBackend())
			.layer(new ObservationLayer(this.registry, "files", includePath, null))
			.build();
	}

	private List<StorageObservationContext> contexts() {
		return this.started;
	}

	@Test
	void eachOperationIsAnObservationWithItsOutcome() {
		ObjectStorage storage = storage(false);
		storage.write("a.txt", "hello".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
		assertThat(new String(storage.readAllBytes("a.txt").block(TIMEOUT), StandardCharsets.UTF_8)).isEqualTo("hello");
		catchThrowableOfType(StorageException.class, () -> storage.stat("missing").block(TIMEOUT));

		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(StorageObservationConvention.NAME, 3)
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("storage write")
				.hasLowCardinalityKeyValue("storage", "files")
				.hasLowCardinalityKeyValue("operation", "write")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasLowCardinalityKeyValue("kind", "none")
				.doesNotHaveHighCardinalityKeyValueWithKey("path"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("storage read")
				.hasLowCardinalityKeyValue("outcome", "success"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("storage stat")
				.hasLowCardinalityKeyValue("outcome", "error")
				.hasLowCardinalityKeyValue("kind", "not-found"));
		assertThat(this.stopped).containsExactlyInAnyOrderElementsOf(contexts());
		assertThat(contexts()).extracting(StorageObservationContext::getErrorKind)
			.containsExactly(null, null, ErrorKind.NOT_FOUND);
	}

	@Test
	void aReadEndsWhenItsBodyEndsAndAContentReleasedUnreadIsCancelled() {
		ObjectStorage storage = storage(true);
		storage.write("big.bin", new byte[100_000]).block(TIMEOUT);
		this.registry.clear();
		this.started.clear();

		ObjectContent content = storage.open("big.bin").block(TIMEOUT);
		StorageObservationContext read = contexts().get(0);
		assertThat(read.getOutcome()).as("open returned, the body is still to come").isNull();
		assertThat(this.stopped).doesNotContain(read);
		content.body().map(DataBufferUtils::release).blockLast(TIMEOUT);
		assertThat(read.getOutcome()).isEqualTo(StorageObservationContext.Outcome.SUCCESS);
		assertThat(this.stopped).contains(read);
		assertThat(read.getPath()).isEqualTo("big.bin");

		storage.open("big.bin").block(TIMEOUT).release();
		assertThat(contexts()).hasSize(2);
		assertThat(contexts().get(1).getOutcome()).isEqualTo(StorageObservationContext.Outcome.CANCELLED);
		assertThat(this.registry).hasAnObservation((observation) -> observation
			.hasLowCardinalityKeyValue("outcome", "cancelled")
			.hasHighCardinalityKeyValue("path", "big.bin"));
	}

	@Test
	void theCallersObservationIsTheParent() {
		ObjectStorage storage = storage(false);
		Observation request = Observation.start("http.server.requests", this.registry);
		// as WebFlux does: the request's observation in the Reactor context
		storage.write("a", new byte[1])
			.contextWrite((context) -> context.put(ObservationLayer.OBSERVATION_KEY, request))
			.block(TIMEOUT);
		// as Spring MVC does: the request's observation current on the thread
		try (Observation.Scope scope = request.openScope()) {
			storage.stat("a").block(TIMEOUT);
		}
		request.stop();
		assertThat(contexts()).hasSize(2)
			.allSatisfy((context) -> assertThat(context.getParentObservation()).isSameAs(request));
	}

	@Test
	void theOperationsObservationIsCurrentForWhatItCalls() {
		ObservationLayer layer = new ObservationLayer(this.registry, "files");
		Layer probe = (backend) -> new ForwardingBackend(backend) {
			@Override
			public Mono<Void> delete(String path) {
				return Mono.deferContextual((context) -> {
					Observation current = context.getOrDefault(ObservationLayer.OBSERVATION_KEY, null);
					assertThat(current).isNotNull();
					assertThat(current.getContext()).isInstanceOf(StorageObservationContext.class);
					return super.delete(path);
				});
			}
		};
		ObjectStorage storage = ObjectStorage.builder().name("files").backend(new MemoryBackend()).layer(layer).layer(probe).build();
		storage.delete("nothing").block(TIMEOUT);
		assertThat(contexts()).singleElement()
			.extracting(StorageObservationContext::getOutcome)
			.isEqualTo(StorageObservationContext.Outcome.SUCCESS);
	}

}
