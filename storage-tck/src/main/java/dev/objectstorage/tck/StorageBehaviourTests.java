package dev.objectstorage.tck;

import java.util.List;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.layer.Layer;
import dev.objectstorage.spi.StorageBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

/**
 * The whole behaviour suite. A backend's test module extends this class once and supplies a fresh
 * backend on a random root for each test; every test of every group then runs against it:
 * <pre>{@code
 * class FsBehaviourTests extends StorageBehaviourTests {
 *     @TempDir Path dir;
 *     protected StorageBackend createBackend(TckContext context) {
 *         return new FsBackend(FsSettings.builder().root(dir.resolve(context.root())).build(), context.bufferFactory());
 *     }
 * }
 * }</pre>
 * Cases that need a capability the backend does not declare are skipped (JUnit assumptions), never
 * edited out. After each test the suite checks that every data buffer was released, then deletes
 * what the test left behind.
 */
@Timeout(120)
public abstract class StorageBehaviourTests implements ReadBehaviour, WriteBehaviour, ConditionalBehaviour,
		StatBehaviour, ListBehaviour, DeleteBehaviour, CopyRenameBehaviour, PresignBehaviour, InvalidInputBehaviour,
		StreamAdapterBehaviour, OpenBehaviour {

	private LeakTrackingBufferFactory buffers;

	private CallRecordingLayer backendCalls;

	private ObjectStorage storage;

	/**
	 * Creates the backend under test. It must allocate read buffers with
	 * {@link TckContext#bufferFactory()} and keep its objects under a root named
	 * {@link TckContext#root()} (or anywhere fresh and empty).
	 * @param context the test's context
	 * @return a new backend
	 */
	protected abstract StorageBackend createBackend(TckContext context);

	/**
	 * Layers to put between the storage and the backend, outermost first; none by default. A
	 * subclass that returns the production stack checks that the layers keep every behaviour.
	 * @return the layers
	 */
	protected List<Layer> layers() {
		return List.of();
	}

	@BeforeEach
	void createStorage(TestInfo info) {
		this.storage = null;
		this.buffers = new LeakTrackingBufferFactory();
		this.backendCalls = new CallRecordingLayer();
		TckContext context = TckContext.create(this.buffers, info.getDisplayName());
		// a backend whose server is missing skips the test here (an assumption): no storage then
		StorageBackend backend = createBackend(context);
		this.storage = ObjectStorage.builder()
			.name("tck")
			.backend(backend)
			.layers(layers())
			.layer(this.backendCalls)
			.build();
	}

	@AfterEach
	void checkBuffersAndCleanUp() {
		ObjectStorage created = this.storage;
		this.storage = null;
		if (created == null) {
			// the set-up did not get as far as a storage (skipped, or failed and reported as such):
			// no test ran, so there is nothing to check and nothing to clean up
			return;
		}
		try {
			this.buffers.assertAllReleased(RELEASE_WAIT);
		}
		finally {
			try {
				created.list("", ListOptions.defaults().withRecursive(true))
					.map(ObjectEntry::path)
					.collectList()
					.flatMap((paths) -> created.deleteAll(Flux.fromIterable(paths)))
					.block(TIMEOUT);
			}
			finally {
				created.close();
			}
		}
	}

	@Override
	public ObjectStorage storage() {
		return this.storage;
	}

	@Override
	public LeakTrackingBufferFactory buffers() {
		return this.buffers;
	}

	@Override
	public CallRecordingLayer backendCalls() {
		return this.backendCalls;
	}

}
