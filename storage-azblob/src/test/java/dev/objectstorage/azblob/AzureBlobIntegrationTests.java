package dev.objectstorage.azblob;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What only the Azure Blob backend does, against a real server (Azurite): block uploads, bounded
 * memory, metadata name encoding, interoperability with the raw SDK, prefixes and the mapping of
 * Azure errors.
 */
class AzureBlobIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static AzuriteServer server;

	private static BlobContainerAsyncClient raw;

	/** The server, started on first use; each test is skipped (with an install hint) where it cannot run. */
	@BeforeEach
	void start() {
		server = AzuriteServer.get();
		if (raw == null) {
			raw = AzureBlobBackend.createClient(server.settings(""));
		}
	}

	private static ObjectStorage storage(AzureBlobSettings settings) {
		return storage(new AzureBlobBackend(settings));
	}

	private static ObjectStorage storage(AzureBlobBackend backend) {
		return ObjectStorage.builder().name("azblob-test").backend(backend).build();
	}

	private static String prefix(String name) {
		return "it-" + name + "-" + System.nanoTime();
	}

	private static Flux<DataBuffer> counted(byte[] data, int chunk, AtomicLong emitted) {
		return Flux.range(0, (data.length + chunk - 1) / chunk).map((i) -> {
			int n = Math.min(chunk, data.length - i * chunk);
			emitted.addAndGet(n);
			return DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(data, i * chunk, i * chunk + n));
		});
	}

	private static BlobAsyncClient rawBlob(String prefix, String path) {
		return raw.getBlobAsyncClient(prefix + "/" + path);
	}

	@Test
	void aLargeWriteIsStagedInBlocksAndCommittedOnce() {
		String prefix = prefix("blocks");
		AzureBlobSettings settings = server.settings(prefix).toBuilder().blockSize(100_000).maxSingleUploadSize(100_000)
			.build();
		byte[] data = StorageTck.randomBytes(250_000, 1);
		try (ObjectStorage storage = storage(settings)) {
			ObjectMetadata written = storage.write("three.bin", counted(data, 7_000, new AtomicLong()),
					WriteOptions.defaults().withContentType("application/x-blocks").withUserMetadata(Map.of("k", "v")))
				.block(TIMEOUT);
			assertThat(written.size()).isEqualTo(data.length);
			assertThat(StorageTck.sha256(storage.readAllBytes("three.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(data));
			ObjectMetadata meta = storage.stat("three.bin").block(TIMEOUT);
			assertThat(meta.etag()).isEqualTo(written.etag());
			assertThat(meta.contentType()).isEqualTo("application/x-blocks");
			assertThat(meta.userMetadata()).isEqualTo(Map.of("k", "v"));
		}
		BlockList blocks = rawBlob(prefix, "three.bin").getBlockBlobAsyncClient()
			.listBlocks(BlockListType.ALL)
			.block(TIMEOUT);
		assertThat(blocks.getCommittedBlocks()).extracting((b) -> b.getSizeLong())
			.containsExactly(100_000L, 100_000L, 50_000L);
		assertThat(blocks.getUncommittedBlocks()).isEmpty();
	}

	@Test
	void aWriteWithinMaxSingleUploadSizeIsOneRequestEvenAcrossBlocks() {
		String prefix = prefix("single");
		AzureBlobSettings settings = server.settings(prefix).toBuilder().blockSize(50_000).maxSingleUploadSize(200_000)
			.build();
		byte[] data = StorageTck.randomBytes(150_000, 2);
		try (ObjectStorage storage = storage(settings)) {
			storage.write("one.bin", counted(data, 10_000, new AtomicLong())).block(TIMEOUT);
			assertThat(storage.readAllBytes("one.bin").block(TIMEOUT)).isEqualTo(data);
		}
		// Put Blob leaves no block list
		BlockList blocks = rawBlob(prefix, "one.bin").getBlockBlobAsyncClient()
			.listBlocks(BlockListType.COMMITTED)
			.block(TIMEOUT);
		assertThat(blocks.getCommittedBlocks()).isEmpty();
	}

	@Test
	void aWriteOfExactlyMaxSingleUploadSizeIsOnePutBlobAndOneByteMoreIsStagedInBlocks() {
		int blockSize = 64 * 1024;
		AzureBlobSettings settings = server.settings(prefix("boundary")).toBuilder()
			.blockSize(blockSize)
			.blocksInFlight(2)
			.build();
		int limit = (int) settings.maxSingleUploadSize();
		assertThat(limit).as("the default: the blocks in flight").isEqualTo(2 * blockSize);
		WriteRequests requests = new WriteRequests();
		BlobContainerAsyncClient client = AzureBlobBackend.clientBuilder(settings).addPolicy(requests)
			.buildAsyncClient();
		try (ObjectStorage storage = storage(
				new AzureBlobBackend(settings, client, DefaultDataBufferFactory.sharedInstance))) {
			for (boolean lengthKnown : new boolean[] { false, true }) {
				String at = lengthKnown ? "known/at.bin" : "unknown/at.bin";
				String over = lengthKnown ? "known/over.bin" : "unknown/over.bin";
				byte[] atLimit = StorageTck.randomBytes(limit, lengthKnown ? 11 : 21);
				byte[] overLimit = StorageTck.randomBytes(limit + 1, lengthKnown ? 12 : 22);
				WriteOptions create = WriteOptions.defaults().withIfNotExists(true).withContentType("application/x-at")
					.withCacheControl("no-store").withContentDisposition("inline").withUserMetadata(Map.of("k-1", "v"));

				// exactly the limit: one Put Blob, no blocks
				requests.clear();
				ObjectMetadata written = storage.write(at, content(atLimit),
						lengthKnown ? create.withContentLength(limit) : create).block(TIMEOUT);
				assertThat(requests.counts()).isEqualTo(Map.of("put", 1));
				assertThat(written.size()).isEqualTo(limit);
				assertThat(storage.readAllBytes(at).block(TIMEOUT)).isEqualTo(atLimit);
				ObjectMetadata meta = storage.stat(at).block(TIMEOUT);
				assertThat(meta.etag()).isEqualTo(written.etag());
				assertThat(meta.contentType()).isEqualTo("application/x-at");
				assertThat(meta.cacheControl()).isEqualTo("no-store");
				assertThat(meta.contentDisposition()).isEqualTo("inline");
				assertThat(meta.userMetadata()).isEqualTo(Map.of("k-1", "v"));
				assertThat(committedBlockSizes(settings, at)).isEmpty();
				// the condition is on the Put Blob: refused, and the blob is as it was
				requests.clear();
				assertThat(catchThrowableOfType(StorageException.class,
						() -> storage.write(at, content(overLimit), create).block(TIMEOUT)).kind())
					.isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
				assertThat(requests.counts()).isEqualTo(Map.of("block", 3, "blocklist", 1));
				assertThat(catchThrowableOfType(StorageException.class,
						() -> storage.write(at, content(atLimit), create).block(TIMEOUT)).kind())
					.isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
				assertThat(storage.readAllBytes(at).block(TIMEOUT)).isEqualTo(atLimit);
				assertThat(storage.stat(at).block(TIMEOUT).etag()).isEqualTo(written.etag());

				// one byte more: three blocks and a commit
				requests.clear();
				ObjectMetadata staged = storage.write(over, content(overLimit),
						lengthKnown ? create.withContentLength(limit + 1) : create).block(TIMEOUT);
				assertThat(requests.counts()).isEqualTo(Map.of("block", 3, "blocklist", 1));
				assertThat(staged.size()).isEqualTo(limit + 1);
				assertThat(storage.readAllBytes(over).block(TIMEOUT)).isEqualTo(overLimit);
				assertThat(storage.stat(over).block(TIMEOUT).userMetadata()).isEqualTo(Map.of("k-1", "v"));
				assertThat(committedBlockSizes(settings, over)).containsExactly((long) blockSize, (long) blockSize, 1L);

				// ifMatch: a stale ETag is refused on both requests, the current one replaces the blob
				WriteOptions stale = WriteOptions.defaults().withIfMatch("\"0x0000000000000000\"");
				for (byte[] data : List.of(atLimit, overLimit)) {
					assertThat(catchThrowableOfType(StorageException.class,
							() -> storage.write(over, content(data), stale).block(TIMEOUT)).kind())
						.isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
				}
				assertThat(storage.readAllBytes(over).block(TIMEOUT)).isEqualTo(overLimit);
				requests.clear();
				ObjectMetadata replaced = storage.write(over, content(atLimit),
						WriteOptions.defaults().withIfMatch(staged.etag())).block(TIMEOUT);
				assertThat(requests.counts()).isEqualTo(Map.of("put", 1));
				assertThat(replaced.etag()).isNotEqualTo(staged.etag());
				assertThat(storage.readAllBytes(over).block(TIMEOUT)).isEqualTo(atLimit);
				assertThat(committedBlockSizes(settings, over)).isEmpty();
				// ifMatch on a missing blob: the condition failed (Azure says 404)
				for (byte[] data : List.of(atLimit, overLimit)) {
					assertThat(catchThrowableOfType(StorageException.class,
							() -> storage.write(at + ".missing", content(data),
									WriteOptions.defaults().withIfMatch(written.etag())).block(TIMEOUT)).kind())
						.isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
				}
				assertThat(storage.exists(at + ".missing").block(TIMEOUT)).isFalse();
			}
		}
	}

	@Test
	void aSingleUploadWhoseContentOrBodyBreaksOrIsCancelledPublishesNothing() throws Exception {
		int blockSize = 64 * 1024;
		CountDownLatch halfSent = new CountDownLatch(1);
		WriteRequests requests = new WriteRequests();
		// the Put Blob of "broken.bin" sends half its body and fails; that of "cancelled.bin" sends
		// half and waits for more (the declared length stays): Azurite has seen part of a body
		HttpPipelinePolicy truncate = (context, next) -> {
			HttpRequest request = context.getHttpRequest();
			// the blob's name is the URL's last segment (the SDK encodes the '/' of the prefix)
			String path = request.getUrl().getPath();
			if ("put".equals(WriteRequests.kind(request))
					&& (path.endsWith("broken.bin") || path.endsWith("cancelled.bin"))) {
				byte[] body = request.getBodyAsBinaryData().toBytes();
				Flux<ByteBuffer> rest = path.endsWith("broken.bin") ? Flux.error(new IOException("body broke"))
						: Flux.<ByteBuffer>never().doOnSubscribe((subscription) -> halfSent.countDown());
				request.setBody(Flux.concat(Flux.just(ByteBuffer.wrap(body, 0, body.length / 2)), rest));
			}
			return next.process();
		};
		AzureBlobSettings settings = server.settings(prefix("broken")).toBuilder()
			.blockSize(blockSize)
			.blocksInFlight(2)
			.sdkMaxAttempts(1)
			.build();
		int limit = (int) settings.maxSingleUploadSize();
		BlobContainerAsyncClient client = AzureBlobBackend.clientBuilder(settings).addPolicy(requests)
			.addPolicy(truncate)
			.buildAsyncClient();
		byte[] data = StorageTck.randomBytes(limit, 31);
		try (ObjectStorage storage = storage(
				new AzureBlobBackend(settings, client, DefaultDataBufferFactory.sharedInstance))) {
			// the content fails after exactly the limit: its end never came, so nothing is sent
			StorageException failed = catchThrowableOfType(StorageException.class, () -> storage
				.write("failed.bin", Flux.concat(content(data), Flux.error(new IllegalStateException("broke"))))
				.block(TIMEOUT));
			assertThat(failed).isNotNull();
			// the content is cancelled before its end: nothing is sent
			AtomicLong emitted = new AtomicLong();
			Disposable waiting = storage.write("waiting.bin", Flux.concat(counted(data, 8 * 1024, emitted), Flux.never()))
				.subscribe();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (emitted.get() < limit && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(emitted.get()).isEqualTo(limit);
			waiting.dispose();
			assertThat(requests.counts()).isEmpty();

			// the Put Blob's body breaks midway
			StorageException broken = catchThrowableOfType(StorageException.class,
					() -> storage.write("broken.bin", content(data)).block(TIMEOUT));
			assertThat(broken).as("a write whose body broke").isNotNull();
			// the Put Blob is cancelled midway
			Disposable cancelled = storage.write("cancelled.bin", content(data)).subscribe();
			assertThat(halfSent.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			cancelled.dispose();
			assertThat(requests.counts()).isEqualTo(Map.of("put", 2));

			// a write after them all, on the same client, to let the server finish with the broken requests
			storage.write("after.bin", content(data)).block(TIMEOUT);
			for (String path : List.of("failed.bin", "waiting.bin", "broken.bin", "cancelled.bin")) {
				assertThat(storage.exists(path).block(TIMEOUT)).as(path).isFalse();
			}
			assertThat(storage.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path)
				.collectList().block(TIMEOUT)).containsExactly("after.bin");
		}
	}

	/** The content in 5000-byte buffers. */
	private static Flux<DataBuffer> content(byte[] data) {
		return counted(data, 5000, new AtomicLong());
	}

	private static List<Long> committedBlockSizes(AzureBlobSettings settings, String path) {
		return raw.getBlobAsyncClient(settings.prefix() + path).getBlockBlobAsyncClient()
			.listBlocks(BlockListType.COMMITTED)
			.block(TIMEOUT)
			.getCommittedBlocks()
			.stream()
			.map((block) -> block.getSizeLong())
			.toList();
	}

	/** Counts the requests that write block blobs: Put Blob ("put"), Put Block, Put Block List. */
	private static final class WriteRequests implements HttpPipelinePolicy {

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		@Override
		public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
			String kind = kind(context.getHttpRequest());
			if (kind != null) {
				this.counts.computeIfAbsent(kind, (k) -> new AtomicInteger()).incrementAndGet();
			}
			return next.process();
		}

		static String kind(HttpRequest request) {
			if (request.getHttpMethod() != HttpMethod.PUT) {
				return null;
			}
			String query = String.valueOf(request.getUrl().getQuery());
			if (query.contains("comp=blocklist")) {
				return "blocklist";
			}
			if (query.contains("comp=block")) {
				return "block";
			}
			return (request.getHeaders().getValue(HttpHeaderName.fromString("x-ms-blob-type")) != null) ? "put" : null;
		}

		Map<String, Integer> counts() {
			Map<String, Integer> counts = new TreeMap<>();
			this.counts.forEach((kind, count) -> counts.put(kind, count.get()));
			return counts;
		}

		void clear() {
			this.counts.clear();
		}

	}

	@Test
	void aBlockUploadKeepsAtMostBlocksInFlightAndBoundedMemory() throws Exception {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger maxInFlight = new AtomicInteger();
		AtomicInteger staged = new AtomicInteger();
		Sinks.Empty<Void> gate = Sinks.empty();
		// holds every Put Block until the gate opens, counting how many are sent at once
		HttpPipelinePolicy holdBlocks = (context, next) -> {
			String query = String.valueOf(context.getHttpRequest().getUrl().getQuery());
			boolean block = context.getHttpRequest().getHttpMethod() == HttpMethod.PUT && query.contains("comp=block")
					&& !query.contains("comp=blocklist");
			if (!block) {
				return next.process();
			}
			maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			staged.incrementAndGet();
			// counted down before the response goes on (doFinally would run after the next block started)
			return gate.asMono().then(Mono.defer(next::process)).doOnTerminate(inFlight::decrementAndGet)
				.doOnCancel(inFlight::decrementAndGet);
		};
		int blockSize = 64 * 1024;
		int chunk = 4 * 1024;
		AzureBlobSettings settings = server.settings(prefix("bounded")).toBuilder()
			.blockSize(blockSize)
			.blocksInFlight(2)
			.build();
		BlobContainerAsyncClient client = AzureBlobBackend.clientBuilder(settings).addPolicy(holdBlocks)
			.buildAsyncClient();
		byte[] data = StorageTck.randomBytes(40 * blockSize, 3);
		AtomicLong emitted = new AtomicLong();
		try (ObjectStorage storage = storage(
				new AzureBlobBackend(settings, client, DefaultDataBufferFactory.sharedInstance))) {
			var result = storage.write("big.bin", counted(data, chunk, emitted)).toFuture();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (staged.get() < 2 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			Thread.sleep(300); // give an unbounded writer the time to read ahead
			assertThat(maxInFlight.get()).isEqualTo(2);
			// the blocks in flight, one queued, the one being filled, and a buffer in transit
			long bound = (long) blockSize * (2 + 2) + 2L * chunk;
			assertThat(emitted.get()).as("bytes taken from the source while blocks are held").isLessThanOrEqualTo(bound);
			gate.tryEmitEmpty();
			ObjectMetadata meta = result.get(60, TimeUnit.SECONDS);
			assertThat(meta.size()).isEqualTo(data.length);
			assertThat(maxInFlight.get()).isEqualTo(2);
			assertThat(StorageTck.sha256(storage.readAllBytes("big.bin").block(TIMEOUT)))
				.isEqualTo(StorageTck.sha256(data));
		}
	}

	@Test
	void aSourceThatFailsAfterSomeBlocksCommitsNothing() {
		String prefix = prefix("fail");
		AzureBlobSettings settings = server.settings(prefix).toBuilder().blockSize(64 * 1024).build();
		try (ObjectStorage storage = storage(settings)) {
			Flux<DataBuffer> failing = Flux.concat(counted(StorageTck.randomBytes(500_000, 4), 8 * 1024,
					new AtomicLong()), Flux.error(new IllegalStateException("source broke")));
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.write("failed.bin", failing).block(TIMEOUT));
			assertThat(ex).isNotNull();
			assertThat(storage.exists("failed.bin").block(TIMEOUT)).isFalse();
			assertThat(storage.list("", ListOptions.defaults().withRecursive(true)).collectList().block(TIMEOUT))
				.isEmpty();
		}
	}

	@Test
	void metadataKeysThatAreNotAzureNamesRoundTrip() {
		String prefix = prefix("meta");
		Map<String, String> metadata = Map.of("owner", "ann", "my_key", "1", "project-id", "42", "a.b", "dots",
				"_lead", "underscore", "1st", "digit", "x_2dy", "looks encoded");
		try (ObjectStorage storage = storage(server.settings(prefix))) {
			storage.write("m", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("x".getBytes())), WriteOptions.defaults().withUserMetadata(metadata)).block(TIMEOUT);
			assertThat(storage.stat("m").block(TIMEOUT).userMetadata()).isEqualTo(metadata);
		}
		Map<String, String> stored = rawBlob(prefix, "m").getProperties().block(TIMEOUT).getMetadata();
		assertThat(stored).containsOnlyKeys("owner", "my_key", "_project_2did", "_a_2eb", "__5flead", "_1st", "x_2dy");
	}

	@Test
	void metadataNamesDecodeReversiblyAndLeaveForeignNamesAlone() {
		for (String key : List.of("a", "a-b", "a.b", "a_b", "_", "-", ".", "9", "--..__", "a_2d", "_5f")) {
			assertThat(MetadataNames.decode(MetadataNames.encode(key))).as(key).isEqualTo(key);
			assertThat(MetadataNames.encode(key)).as(key).matches("[A-Za-z_][A-Za-z0-9_]*");
		}
		assertThat(MetadataNames.decode("Owner")).isEqualTo("owner");
		assertThat(MetadataNames.decode("_foreign_name")).isEqualTo("_foreign_name");
		assertThat(MetadataNames.decode("_x_41")).isEqualTo("_x_41");
		// another client's name that starts with '_' but is no encoding of ours stays as it is
		assertThat(MetadataNames.decode("_foo")).isEqualTo("_foo");
		assertThat(MetadataNames.decode("__5ffoo")).isEqualTo("_foo");
	}

	@Test
	void pathSegmentsEndingInADotAreRefusedBecauseAzureDropsTheDot() {
		try (ObjectStorage storage = storage(server.settings(prefix("dots")))) {
			for (String path : List.of("report.", "v1./x", "a/b../c")) {
				StorageException ex = catchThrowableOfType(StorageException.class,
						() -> storage.write(path, "x".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
				assertThat(ex.kind()).as(path).isEqualTo(ErrorKind.INVALID_INPUT);
				assertThat(catchThrowableOfType(StorageException.class, () -> storage.stat(path).block(TIMEOUT)).kind())
					.as(path).isEqualTo(ErrorKind.INVALID_INPUT);
			}
			assertThat(catchThrowableOfType(StorageException.class,
					() -> storage.list("v1./", ListOptions.defaults()).collectList().block(TIMEOUT)).kind())
				.isEqualTo(ErrorKind.INVALID_INPUT);
			// dots elsewhere are fine, and a prefix may end in one (it matches 'v1.x' and the like)
			storage.write("v1.x/.hidden/a.b", "ok".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
			assertThat(storage.list("v1.", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path)
				.collectList().block(TIMEOUT)).containsExactly("v1.x/.hidden/a.b");
			storage.delete("v1.x/.hidden/a.b").block(TIMEOUT);
		}
	}

	@Test
	void objectsWrittenByTheBackendAreReadableByTheSdk() {
		String prefix = prefix("interop");
		try (ObjectStorage storage = storage(server.settings(prefix))) {
			storage.write("a/b.txt", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("hello azure".getBytes())),
					WriteOptions.defaults().withContentType("text/plain").withUserMetadata(Map.of("owner", "ann"))
						.withCacheControl("no-cache").withContentDisposition("inline"))
				.block(TIMEOUT);
		}
		BlobAsyncClient blob = rawBlob(prefix, "a/b.txt");
		assertThat(blob.downloadContent().block(TIMEOUT).toString()).isEqualTo("hello azure");
		BlobProperties properties = blob.getProperties().block(TIMEOUT);
		assertThat(properties.getContentType()).isEqualTo("text/plain");
		assertThat(properties.getMetadata()).containsEntry("owner", "ann");
		assertThat(properties.getCacheControl()).isEqualTo("no-cache");
		assertThat(properties.getContentDisposition()).isEqualTo("inline");
	}

	@Test
	void objectsWrittenByTheSdkAreReadableThroughTheBackend() {
		String prefix = prefix("interop2");
		byte[] data = StorageTck.randomBytes(3 * 1024 * 1024, 5);
		rawBlob(prefix, "raw.bin").uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(data))
			.setHeaders(new BlobHttpHeaders().setContentType("application/x-raw"))
			.setMetadata(Map.of("Source", "sdk"))).block(TIMEOUT);
		try (ObjectStorage storage = storage(server.settings(prefix))) {
			assertThat(storage.readAllBytes("raw.bin").block(TIMEOUT)).isEqualTo(data);
			ObjectMetadata meta = storage.stat("raw.bin").block(TIMEOUT);
			assertThat(meta.contentType()).isEqualTo("application/x-raw");
			assertThat(meta.userMetadata()).containsEntry("source", "sdk");
			assertThat(meta.size()).isEqualTo(data.length);
			assertThat(storage.list("").map(ObjectEntry::path).collectList().block(TIMEOUT)).containsExactly("raw.bin");
		}
	}

	@Test
	void prefixesKeepStoragesApartAndDirectoryMarkersAreNotObjects() {
		String prefix = prefix("iso");
		try (ObjectStorage one = storage(server.settings(prefix + "/one"));
				ObjectStorage two = storage(server.settings(prefix + "/two"))) {
			one.write("file", "1".getBytes()).block(TIMEOUT);
			two.write("file", "2".getBytes()).block(TIMEOUT);
			rawBlob(prefix, "one/marker/").upload(BinaryData.fromBytes(new byte[0])).block(TIMEOUT);
			assertThat(one.readAllBytes("file").block(TIMEOUT)).isEqualTo("1".getBytes());
			assertThat(one.list("", ListOptions.defaults().withRecursive(true)).map(ObjectEntry::path).collectList()
				.block(TIMEOUT)).containsExactly("file");
		}
	}

	@Test
	void aConnectionStringWorksLikeSeparateSettings() {
		String prefix = prefix("cs");
		AzureBlobSettings settings = AzureBlobSettings.builder()
			.connectionString(server.connectionString())
			.container(AzuriteServer.CONTAINER)
			.prefix(prefix)
			.build();
		try (ObjectStorage storage = storage(settings)) {
			storage.write("x", "via connection string".getBytes()).block(TIMEOUT);
			assertThat(storage.readAllBytes("x").block(TIMEOUT)).isEqualTo("via connection string".getBytes());
			assertThat(storage.location()).isEqualTo("azblob://" + AzuriteServer.ACCOUNT_NAME + "/"
					+ AzuriteServer.CONTAINER + "/" + prefix + "/");
		}
	}

	@Test
	void aMissingContainerIsAConfigurationError() {
		AzureBlobSettings settings = server.settings("").toBuilder().container("no-such-container").build();
		try (ObjectStorage storage = storage(settings)) {
			for (Runnable call : List.<Runnable>of(() -> storage.stat("x").block(TIMEOUT),
					() -> storage.write("x", "x".getBytes()).block(TIMEOUT),
					() -> storage.list("").collectList().block(TIMEOUT),
					() -> storage.readAllBytes("x").block(TIMEOUT))) {
				StorageException ex = catchThrowableOfType(StorageException.class, call::run);
				assertThat(ex.kind()).isEqualTo(ErrorKind.CONFIG_INVALID);
				assertThat(ex.getMessage()).contains("container");
			}
		}
	}

	@Test
	void aWrongKeyIsPermissionDenied() {
		String wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
		AzureBlobSettings settings = server.settings(prefix("creds")).toBuilder().accountKey(wrongKey).sdkMaxAttempts(1)
			.build();
		try (ObjectStorage storage = storage(settings)) {
			for (Runnable call : List.<Runnable>of(() -> storage.stat("anything").block(TIMEOUT),
					() -> storage.write("x", "x".getBytes()).block(TIMEOUT),
					() -> storage.list("").collectList().block(TIMEOUT))) {
				StorageException ex = catchThrowableOfType(StorageException.class, call::run);
				assertThat(ex.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
				assertThat(ex.isTemporary()).isFalse();
				assertThat(ex.getMessage()).doesNotContain(wrongKey);
			}
		}
	}

	@Test
	void anUnreachableServerIsATemporaryError() {
		AzureBlobSettings settings = server.settings("x").toBuilder()
			.endpoint(URI.create("http://127.0.0.1:9/" + AzuriteServer.ACCOUNT_NAME))
			.sdkMaxAttempts(1)
			.build();
		try (ObjectStorage storage = storage(settings)) {
			StorageException ex = catchThrowableOfType(StorageException.class, () -> storage.stat("x").block(TIMEOUT));
			assertThat(ex.kind()).isIn(ErrorKind.UNEXPECTED, ErrorKind.TIMEOUT);
			assertThat(ex.isTemporary()).isTrue();
		}
	}

	@Test
	void settingsAreValidatedAndNeverShowSecrets() {
		AzureBlobSettings settings = server.settings("loc");
		assertThat(settings.toString()).doesNotContain(AzuriteServer.ACCOUNT_KEY).contains("******");
		assertThat(settings.prefix()).isEqualTo("loc/");
		String connection = AzureBlobSettings.builder().connectionString(server.connectionString()).container("abc")
			.build()
			.toString();
		assertThat(connection).doesNotContain(AzuriteServer.ACCOUNT_KEY);
		try (ObjectStorage storage = storage(settings)) {
			assertThat(storage.location()).isEqualTo("azblob://devstoreaccount1/tck/loc/");
		}
		assertInvalid("container", () -> AzureBlobSettings.builder().accountName("a").build());
		assertInvalid("container", () -> AzureBlobSettings.builder().accountName("a").container("Bad_Name").build());
		assertInvalid("accountName", () -> AzureBlobSettings.builder().container("abc").build());
		assertInvalid("blockSize", () -> settings.toBuilder().blockSize(0).build());
		assertInvalid("blocksInFlight", () -> settings.toBuilder().blocksInFlight(0).build());
		assertInvalid("connectionString",
				() -> settings.toBuilder().connectionString(server.connectionString()).build());
		assertInvalid("accountKey", () -> settings.toBuilder().sasToken("sv=x&sig=y").build());
		assertThat(settings.toBuilder().blockSize(1024).build().maxSingleUploadSize()).isEqualTo(4096);
		InvalidSettingException sasInEndpoint = catchThrowableOfType(InvalidSettingException.class, () -> settings.toBuilder()
			.endpoint(java.net.URI.create("http://127.0.0.1:1/devstoreaccount1?sv=1&sig=not-for-logs"))
			.build());
		assertThat(sasInEndpoint.setting()).isEqualTo("endpoint");
		assertThat(sasInEndpoint.getMessage()).contains("'endpoint'").doesNotContain("not-for-logs");
	}

	private static void assertInvalid(String setting, Runnable build) {
		InvalidSettingException ex = catchThrowableOfType(InvalidSettingException.class, build::run);
		assertThat(ex.setting()).isEqualTo(setting);
		assertThat(ex.getMessage()).contains("'" + setting + "'");
	}

}
