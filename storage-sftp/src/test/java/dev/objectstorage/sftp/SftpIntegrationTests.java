package dev.objectstorage.sftp;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.tck.LeakTrackingBufferFactory;
import dev.objectstorage.tck.StorageTck;
import org.apache.sshd.sftp.client.FullAccessSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What only the SFTP backend does, against real servers (embedded MINA SSHD; OpenSSH where it
 * runs): large objects, the pool's bound, authentication and host key failures, clean-up of
 * cancelled writes, the threads that block, sidecar metadata and entity tags, lost connections.
 */
class SftpIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** Methods of an SFTP client that send nothing and wait for nothing (closing a channel is asynchronous). */
	private static final Set<String> NON_BLOCKING = Set.of("isOpen", "isClosing", "getVersion", "getExtension",
			"getServerExtensions", "getName", "getNameDecodingCharset", "getClientChannel", "getSession",
			"getClientSession", "toString", "hashCode", "equals");

	private static EmbeddedSftpServer server;

	@BeforeAll
	static void start() {
		server = EmbeddedSftpServer.start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	private static String root() {
		return "/it-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static ObjectStorage storage(SftpBackend backend) {
		return ObjectStorage.builder().name("sftp-test").backend(backend).build();
	}

	private static Flux<DataBuffer> chunks(byte[] data, int size) {
		return Flux.range(0, (data.length + size - 1) / size).map((i) -> {
			int n = Math.min(size, data.length - i * size);
			return DefaultDataBufferFactory.sharedInstance.wrap(java.util.Arrays.copyOfRange(data, i * size, i * size + n));
		});
	}

	private static Mono<DataBuffer> text(String text) {
		return Mono.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)));
	}

	private static byte[] read(ObjectStorage storage, String path) {
		return StorageTck.collect(storage.read(path));
	}

	private static List<Path> filesNamed(Path directory, String prefix) throws IOException {
		if (!Files.exists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter((f) -> f.getFileName().toString().startsWith(prefix)).toList();
		}
	}

	@Test
	void largeObjectRoundTripsBySha256() {
		byte[] data = StorageTck.randomBytes(20 * 1024 * 1024, 7);
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root())))) {
			ObjectMetadata written = storage.write("big/object.bin", chunks(data, 256 * 1024)).block(TIMEOUT);
			assertThat(written.size()).isEqualTo(data.length);
			assertThat(StorageTck.sha256(read(storage, "big/object.bin"))).isEqualTo(StorageTck.sha256(data));
			byte[] range = StorageTck.collect(storage.read("big/object.bin", ReadOptions.range(10_000_000, 5_000_000)));
			assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(data, 10_000_000, 15_000_000));
		}
	}

	/**
	 * Reads keep many requests in flight; MINA SSHD's server answers at most 63 KiB per request, so
	 * 100 KiB requests come back short: the rest of each is asked for again, before the requests
	 * already in flight, and later reads on the channel ask for what the server answers. The bytes
	 * and the buffer sizes must come out exact all the same, into Netty's direct buffers too.
	 */
	@Test
	void pipelinedReadsOfOddRangesAreByteExact() {
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		SftpSettings settings = server.settingsBuilder(root()).readChunkSize(100 * 1024).maxChannels(1).build();
		byte[] data = StorageTck.randomBytes(5 * 1024 * 1024 + 123, 14);
		try (ObjectStorage storage = storage(new SftpBackend(settings, buffers))) {
			storage.write("odd/object", chunks(data, 64 * 1024)).block(TIMEOUT);
			for (int round = 0; round < 2; round++) { // the second on a channel that knows the server's limit
				List<DataBuffer> range = storage
					.read("odd/object", ReadOptions.range(1_000_003, 3_333_333).withBufferSize(10_007))
					.collectList()
					.block(TIMEOUT);
				assertThat(range).hasSize(3_333_333 / 10_007 + 1);
				assertThat(range.subList(0, range.size() - 1))
					.allSatisfy((buffer) -> assertThat(buffer.readableByteCount()).isEqualTo(10_007));
				assertThat(join(range)).isEqualTo(java.util.Arrays.copyOfRange(data, 1_000_003, 1_000_003 + 3_333_333));
				assertThat(StorageTck.collect(storage.read("odd/object"))).isEqualTo(data);
			}
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	/**
	 * A cancelled read has requests in flight: their answers are taken off the channel before it goes
	 * back to the pool, so the one channel is reused (not discarded as broken) and later reads get
	 * their own bytes.
	 */
	@Test
	void cancelledPipelinedReadsReturnTheirChannel() {
		AtomicInteger opened = new AtomicInteger();
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		// a channel kept by mistake makes the next operation wait for it in vain: 30 s is a bound for a
		// busy machine, not a measure of speed
		SftpSettings settings = server.settingsBuilder(root()).maxChannels(1).acquireTimeout(Duration.ofSeconds(30))
			.build();
		SftpBackend backend = new SftpBackend(settings, buffers, (client) -> {
			opened.incrementAndGet();
			return client;
		});
		byte[] data = StorageTck.randomBytes(8 * 1024 * 1024, 15);
		try (ObjectStorage storage = storage(backend)) {
			storage.write("cancel/read", chunks(data, 64 * 1024)).block(TIMEOUT);
			for (int i = 0; i < 5; i++) {
				List<DataBuffer> first = storage.read("cancel/read", ReadOptions.range(i * 7, data.length - i * 7))
					.limitRate(1)
					.take(2)
					.collectList()
					.block(TIMEOUT);
				assertThat(join(first)).isEqualTo(java.util.Arrays.copyOfRange(data, i * 7, i * 7 + 2 * 64 * 1024));
			}
			assertThat(StorageTck.collect(storage.read("cancel/read"))).isEqualTo(data);
			storage.write("cancel/after", chunks(data, 64 * 1024)).block(TIMEOUT);
			assertThat(StorageTck.collect(storage.read("cancel/after"))).isEqualTo(data);
			assertThat(opened).as("SFTP channels opened").hasValue(1);
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	/**
	 * An opened content holds the only channel until it is consumed, cancelled or released; an open
	 * that fails or is cancelled gives it back. A channel kept by mistake would make the next
	 * operation time out waiting for it, one given back twice would be discarded (or handed to two
	 * operations at once), and a new one opened.
	 */
	@Test
	void openGivesItsChannelBackOnceWhicheverWayItEnds() throws Exception {
		AtomicInteger opened = new AtomicInteger();
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		String root = root();
		// a channel kept by mistake makes the next operation wait for it in vain: 30 s is a bound for a
		// busy machine, not a measure of speed
		SftpSettings settings = server.settingsBuilder(root).maxChannels(1).acquireTimeout(Duration.ofSeconds(30))
			.build();
		try (SftpBackend backend = new SftpBackend(settings, buffers, (client) -> {
			opened.incrementAndGet();
			return client;
		})) {
			byte[] data = StorageTck.randomBytes(2 * 1024 * 1024, 16);
			ObjectMetadata written = backend
				.write("open/a", chunks(data, 64 * 1024),
						WriteOptions.defaults().withContentType("application/x-test").withUserMetadata(Map.of("k", "v")))
				.block(TIMEOUT);
			ObjectMetadata stat = backend.stat("open/a").block(TIMEOUT);
			assertThat(stat.etag()).isEqualTo(written.etag());

			// released unread, twice: given back once
			ObjectContent unread = backend.open("open/a", ReadOptions.range(10, 100)).block(TIMEOUT);
			assertThat(unread.metadata()).isEqualTo(stat);
			assertThat(unread.offset()).isEqualTo(10);
			assertThat(unread.length()).isEqualTo(100);
			unread.release();
			unread.release();
			assertThat(backend.stat("open/a").block(TIMEOUT)).isEqualTo(stat);

			// the open fails: a condition, a missing object, a range past the end
			for (ReadOptions failing : List.of(ReadOptions.defaults().withIfMatch("\"other\""),
					ReadOptions.defaults().withIfNoneMatch(stat.etag()), ReadOptions.range(data.length, 1))) {
				StorageException ex = catchThrowableOfType(StorageException.class,
						() -> backend.open("open/a", failing).block(TIMEOUT));
				assertThat(ex.kind()).isIn(ErrorKind.CONDITION_NOT_MATCH, ErrorKind.RANGE_NOT_SATISFIABLE);
				assertThat(ex.operation()).isEqualTo(Operation.READ);
			}
			StorageException missing = catchThrowableOfType(StorageException.class,
					() -> backend.open("open/missing", ReadOptions.defaults()).block(TIMEOUT));
			assertThat(missing.kind()).isEqualTo(ErrorKind.NOT_FOUND);

			// the open is cancelled before it emits, at different points of its way (a content that
			// comes after all is released; an error that comes after all is not emitted). The
			// subscriber releases a content even when it comes after the cancel: one sent just as it
			// cancels is its own (Reactor's lambda subscriber would drop it, and no publisher can tell);
			// SftpOpenCancelTests cancels at each step of the open's own way, deterministically
			for (String path : List.of("open/a", "open/missing")) {
				for (int delayMicros : new int[] { 0, 100, 300, 600, 1000, 2000, 4000, 10_000 }) {
					Disposable open = backend.open(path, ReadOptions.defaults()).subscribeWith(new BaseSubscriber<>() {

						@Override
						protected void hookOnNext(ObjectContent content) {
							content.release();
						}

						@Override
						protected void hookOnError(Throwable ex) {
						}

					});
					TimeUnit.MICROSECONDS.sleep(delayMicros);
					open.dispose();
					assertThat(backend.stat("open/a").block(TIMEOUT)).isEqualTo(stat);
				}
			}

			// the body is cancelled with read requests in flight
			ObjectContent cancelled = backend.open("open/a", ReadOptions.defaults().withBufferSize(8192)).block(TIMEOUT);
			assertThat(join(cancelled.body().limitRate(1).take(3).collectList().block(TIMEOUT)))
				.isEqualTo(java.util.Arrays.copyOf(data, 3 * 8192));
			assertThat(catchThrowableOfType(IllegalStateException.class, () -> cancelled.body().blockLast(TIMEOUT)))
				.as("a body is read once").isNotNull();

			// an overwrite after the open (by another client: this one's only channel is taken) changes
			// neither the metadata nor the bytes of the content
			ObjectContent old = backend.open("open/a", ReadOptions.defaults()).block(TIMEOUT);
			try (SftpBackend other = new SftpBackend(server.settings(root))) {
				assertThat(other.write("open/a", text("a new version").flux(), WriteOptions.defaults()).block(TIMEOUT).size())
					.isEqualTo(13);
			}
			assertThat(old.metadata()).isEqualTo(stat);
			assertThat(join(old.body().collectList().block(TIMEOUT))).isEqualTo(data);
			ObjectContent fresh = backend.open("open/a", ReadOptions.defaults()).block(TIMEOUT);
			assertThat(fresh.metadata().etag()).isNotEqualTo(stat.etag());
			assertThat(fresh.metadata().contentType()).isNull();
			assertThat(fresh.metadata().size()).isEqualTo(13);
			assertThat(join(fresh.body().collectList().block(TIMEOUT)))
				.isEqualTo("a new version".getBytes(StandardCharsets.UTF_8));

			assertThat(backend.stat("open/a").block(TIMEOUT).size()).isEqualTo(13);
			assertThat(opened).as("SFTP channels opened").hasValue(1);
		}
		buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	@Test
	void poolBoundHoldsUnderConcurrentReads() {
		try (EmbeddedSftpServer dedicated = EmbeddedSftpServer.start()) {
			SftpBackend backend = new SftpBackend(dedicated.settingsBuilder(root()).maxChannels(2).build());
			try (ObjectStorage storage = storage(backend)) {
				byte[] data = StorageTck.randomBytes(512 * 1024, 8);
				storage.write("pool/object", chunks(data, 64 * 1024)).block(TIMEOUT);
				dedicated.resetMaxOpenSftpChannels();
				List<byte[]> results = Flux.range(0, 8)
					.flatMap((i) -> storage.read("pool/object", ReadOptions.defaults().withBufferSize(8192))
						.delayElements(Duration.ofMillis(1))
						.collectList()
						.map(SftpIntegrationTests::join), 8)
					.collectList()
					.block(TIMEOUT);
				assertThat(results).hasSize(8).allSatisfy((bytes) -> assertThat(bytes).isEqualTo(data));
				assertThat(dedicated.maxOpenSftpChannels()).isBetween(1, 2);
				assertThat(backend.openChannels()).isLessThanOrEqualTo(2);
			}
		}
	}

	private static byte[] join(List<DataBuffer> buffers) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (DataBuffer buffer : buffers) {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			out.writeBytes(bytes);
			org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
		}
		return out.toByteArray();
	}

	@Test
	void passwordAuthenticationWorks() {
		SftpSettings settings = server.settingsBuilder(root()).privateKey(null).password(server.password()).build();
		try (ObjectStorage storage = storage(new SftpBackend(settings))) {
			storage.write("auth/ok", "fine".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
			assertThat(new String(read(storage, "auth/ok"), StandardCharsets.UTF_8)).isEqualTo("fine");
		}
	}

	@Test
	void wrongPasswordIsPermissionDenied() {
		SftpSettings settings = server.settingsBuilder(root()).privateKey(null).password("not-the-password").build();
		try (ObjectStorage storage = storage(new SftpBackend(settings))) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.stat("anything").block(TIMEOUT));
			assertThat(ex.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
			assertThat(ex.getMessage()).contains("authentication").doesNotContain("not-the-password");
		}
	}

	@Test
	void unknownHostKeyIsRefusedUnderStrictChecking() throws IOException {
		Path emptyKnownHosts = Files.createTempFile("known_hosts", "");
		try {
			// generous timeouts: on a busy machine the key exchange, which has to get as far as the
			// server's key before it is refused, may take longer than the default 10 s, and a timeout
			// first would be another error (TIMEOUT); together they stay below TIMEOUT
			SftpSettings settings = server.settingsBuilder(root())
				.knownHosts(emptyKnownHosts)
				.connectTimeout(Duration.ofSeconds(25))
				.authTimeout(Duration.ofSeconds(25))
				.build();
			try (ObjectStorage storage = storage(new SftpBackend(settings))) {
				StorageException ex = catchThrowableOfType(StorageException.class,
						() -> storage.stat("anything").block(TIMEOUT));
				assertThat(ex).isNotNull();
				// the whole error when it is another one, for the next time it happens
				assertThat(ex.kind()).as(() -> stackTrace(ex)).isEqualTo(ErrorKind.CONFIG_INVALID);
				assertThat(ex.getMessage()).contains("host key").contains("not trusted").contains("SHA256:");
			}
			// the insecure switch lets it through
			SftpSettings insecure = server.settingsBuilder(root()).knownHosts(emptyKnownHosts)
				.acceptAnyHostKey(true)
				.build();
			try (ObjectStorage storage = storage(new SftpBackend(insecure))) {
				assertThat(storage.exists("anything").block(TIMEOUT)).isFalse();
			}
		}
		finally {
			Files.deleteIfExists(emptyKnownHosts);
		}
	}

	private static String stackTrace(Throwable ex) {
		java.io.StringWriter out = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(out));
		return out.toString();
	}

	@Test
	void unreachableServerIsATemporaryError() throws IOException {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		SftpSettings settings = server.settingsBuilder(root()).port(closedPort).build();
		try (ObjectStorage storage = storage(new SftpBackend(settings))) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.stat("anything").block(TIMEOUT));
			assertThat(ex.kind()).isEqualTo(ErrorKind.UNEXPECTED);
			assertThat(ex.isTemporary()).isTrue();
		}
	}

	@Test
	void cancelledWriteLeavesNoTemporaryFileOnDisk() throws Exception {
		String root = root();
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root)))) {
			AtomicInteger emitted = new AtomicInteger();
			Flux<DataBuffer> endless = Flux.concat(chunks(StorageTck.randomBytes(1024 * 1024, 9), 16 * 1024), Flux.never())
				.doOnNext((b) -> emitted.incrementAndGet());
			Disposable write = storage.write("cancel/me", endless).subscribe();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (emitted.get() < 64 && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			Path directory = server.directory().resolve(root.substring(1));
			assertThat(filesNamed(directory, ".os-tmp-")).as("the write in progress has a temporary file").hasSize(1);
			write.dispose();
			deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (!filesNamed(directory, ".os-tmp-").isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(filesNamed(directory, ".os-tmp-")).isEmpty();
			assertThat(storage.exists("cancel/me").block(TIMEOUT)).isFalse();
		}
	}

	@Test
	void blockingCallsRunOnTheBackendsThreadsOnly() {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		UnaryOperator<SftpClient> recording = (client) -> (SftpClient) Proxy.newProxyInstance(
				SftpIntegrationTests.class.getClassLoader(), new Class<?>[] { FullAccessSftpClient.class },
				(proxy, method, args) -> {
					boolean sendsRequests = !NON_BLOCKING.contains(method.getName())
							&& !(method.getName().equals("close") && method.getParameterCount() == 0);
					if (sendsRequests) {
						threads.add(method.getName() + " on " + Thread.currentThread().getName());
					}
					try {
						return method.invoke(client, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		SftpBackend backend = new SftpBackend(server.settings(root()), DefaultDataBufferFactory.sharedInstance,
				recording);
		try (ObjectStorage storage = storage(backend)) {
			byte[] data = StorageTck.randomBytes(300_000, 10);
			Mono.defer(() -> storage.write("threads/a", chunks(data, 7000).publishOn(Schedulers.parallel())))
				.subscribeOn(Schedulers.parallel())
				.block(TIMEOUT);
			byte[] back = Flux.defer(() -> storage.read("threads/a"))
				.subscribeOn(Schedulers.parallel())
				.publishOn(Schedulers.parallel())
				.collectList()
				.map(SftpIntegrationTests::join)
				.block(TIMEOUT);
			assertThat(back).isEqualTo(data);
			Mono.defer(() -> storage.stat("threads/a"))
				.then(Mono.defer(() -> storage.copy("threads/a", "threads/b")))
				.then(Mono.defer(() -> storage.list("threads/", ListOptions.defaults().withRecursive(true)).then()))
				.then(Mono.defer(() -> storage.delete("threads/b")))
				.subscribeOn(Schedulers.parallel())
				.block(TIMEOUT);
		}
		assertThat(threads).isNotEmpty().allSatisfy((call) -> assertThat(call).contains(" on sftp-127.0.0.1"));
	}

	@Test
	void sameSizeRewritesWithinASecondGetNewEntityTags() {
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root())))) {
			String previous = null;
			for (int i = 0; i < 5; i++) {
				ObjectMetadata meta = storage.write("etag/same", ("v" + i).getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
				assertThat(meta.etag()).isNotEqualTo(previous);
				assertThat(storage.stat("etag/same").block(TIMEOUT).etag()).isEqualTo(meta.etag());
				if (previous != null) {
					String stale = previous;
					StorageException ex = catchThrowableOfType(StorageException.class, () -> storage
						.write("etag/same", text("xx"), WriteOptions.defaults().withIfMatch(stale))
						.block(TIMEOUT));
					assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
				}
				previous = meta.etag();
			}
		}
	}

	@Test
	void withoutSidecarsEtagsStillChangeAndNoHiddenFilesAppear() throws IOException {
		String root = root();
		SftpSettings settings = server.settingsBuilder(root).metadata(false).build();
		try (ObjectStorage storage = storage(new SftpBackend(settings))) {
			assertThat(storage.capabilities().writeWithContentType()).isFalse();
			assertThat(storage.capabilities().writeWithUserMetadata()).isFalse();
			String first = storage.write("plain/a", "one".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT).etag();
			String second = storage.write("plain/a", "two".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT).etag();
			assertThat(second).isNotEqualTo(first);
			assertThat(storage.stat("plain/a").block(TIMEOUT).etag()).isEqualTo(second);
			assertThat(filesNamed(server.directory().resolve(root.substring(1)), ".os-")).isEmpty();
		}
	}

	@Test
	void sidecarsAreHiddenAndForeignFilesAreObjects() throws IOException {
		String root = root();
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root)))) {
			storage.write("side/a.txt", text("a"),
					WriteOptions.defaults().withContentType("text/plain").withUserMetadata(Map.of("k", "v")))
				.block(TIMEOUT);
			Path directory = server.directory().resolve(root.substring(1)).resolve("side");
			assertThat(directory.resolve(".os-meta.a.txt")).exists();
			Files.writeString(directory.resolve("foreign.txt"), "put there by another program");
			List<String> listed = storage.list("side/").map(ObjectEntry::path).collectList().block(TIMEOUT);
			assertThat(listed).containsExactly("side/a.txt", "side/foreign.txt");
			ObjectMetadata foreign = storage.stat("side/foreign.txt").block(TIMEOUT);
			assertThat(foreign.contentType()).isNull();
			assertThat(foreign.etag()).startsWith("\"").endsWith("\"");
			assertThat(new String(read(storage, "side/foreign.txt"), StandardCharsets.UTF_8))
				.isEqualTo("put there by another program");
			assertThat(storage.stat("side/a.txt").block(TIMEOUT).userMetadata()).isEqualTo(Map.of("k", "v"));
			storage.delete("side/a.txt").block(TIMEOUT);
			assertThat(directory.resolve(".os-meta.a.txt")).doesNotExist();
		}
	}

	@Test
	void reservedNamesAreRefused() {
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root())))) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.write("dir/.os-meta.x", "x".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
			assertThat(ex.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
		}
	}

	@Test
	void lostConnectionsAreReplaced() {
		try (EmbeddedSftpServer dedicated = EmbeddedSftpServer.start();
				ObjectStorage storage = storage(new SftpBackend(dedicated.settings(root())))) {
			storage.write("conn/a", "a".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
			dedicated.disconnectAll();
			ObjectMetadata meta = null;
			for (int attempt = 0; attempt < 3 && meta == null; attempt++) {
				try {
					meta = storage.stat("conn/a").block(TIMEOUT);
				}
				catch (StorageException ex) {
					assertThat(ex.isTemporary()).as("a broken connection is a temporary error: " + ex).isTrue();
				}
			}
			assertThat(meta).isNotNull();
			assertThat(meta.size()).isEqualTo(1);
		}
	}

	@Test
	void settingsAreValidatedAndMaskSecrets() {
		SftpSettings settings = SftpSettings.builder()
			.host("example.com")
			.username("u")
			.password("secret-password")
			.privateKeyPassphrase("secret-passphrase")
			.build();
		assertThat(settings.toString()).doesNotContain("secret-password").doesNotContain("secret-passphrase");
		InvalidSettingException noAuth = catchThrowableOfType(InvalidSettingException.class,
				() -> SftpSettings.builder().host("h").username("u").build());
		assertThat(noAuth.setting()).isEqualTo("password");
		InvalidSettingException badPort = catchThrowableOfType(InvalidSettingException.class,
				() -> settings.toBuilder().port(0).build());
		assertThat(badPort.setting()).isEqualTo("port");
		StorageException badKey = catchThrowableOfType(StorageException.class,
				() -> new SftpBackend(settings.toBuilder().password(null).privateKey("not a key").build()));
		assertThat(badKey.kind()).isEqualTo(ErrorKind.CONFIG_INVALID);
		assertThat(settings.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.toBuilder().acquireTimeout(Duration.ofSeconds(2)).build().acquireTimeout())
			.isEqualTo(Duration.ofSeconds(2));
		InvalidSettingException badAcquireTimeout = catchThrowableOfType(InvalidSettingException.class,
				() -> settings.toBuilder().acquireTimeout(Duration.ZERO).build());
		assertThat(badAcquireTimeout.setting()).isEqualTo("acquireTimeout");
		assertThat(badAcquireTimeout.getMessage()).contains("acquireTimeout");
		try (SftpBackend backend = new SftpBackend(settings.toBuilder().root("/srv/data").build())) {
			assertThat(backend.location()).isEqualTo("sftp://u@example.com:22/srv/data");
		}
	}

	/** Polls until the condition holds or the time is up; the caller asserts afterwards. */
	private static void await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
	}

	private static boolean hasFilesNamed(Path directory, String prefix) {
		try {
			return !filesNamed(directory, prefix).isEmpty();
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return false; // a file vanished while walking: look again
		}
	}

	@Test
	void aWriteOfAReadOfTheSameBackendFailsInsteadOfWaitingForeverForAChannel() {
		// the deadlock below waits the whole acquire timeout; the channel given back afterwards must be
		// found within it too, which 5 s allows on a busy machine
		SftpSettings settings = server.settingsBuilder(root()).maxChannels(1).acquireTimeout(Duration.ofSeconds(5)).build();
		try (ObjectStorage storage = storage(new SftpBackend(settings))) {
			storage.write("nested/a", "a".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
			// the write holds the only channel while its content (the read) waits for one; a hang would
			// end block() with an IllegalStateException, not the StorageException asserted here
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> storage.write("nested/b", storage.read("nested/a")).block(Duration.ofSeconds(60)));
			assertThat(ex).isNotNull();
			assertThat(ex.kind()).isEqualTo(ErrorKind.TIMEOUT);
			assertThat(ex.isTemporary()).isTrue();
			assertThat(ex.getMessage()).contains("All 1 SFTP channels").contains("PT5S").contains("maxChannels");
			// every channel came back: the backend still works
			storage.write("nested/c", "c".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
			assertThat(new String(read(storage, "nested/c"), StandardCharsets.UTF_8)).isEqualTo("c");
			assertThat(storage.exists("nested/b").block(TIMEOUT)).isFalse();
		}
	}

	@Test
	void brokenChannelsAreClosedOnTheBackendsThreads() throws Exception {
		Set<String> closes = ConcurrentHashMap.newKeySet();
		UnaryOperator<SftpClient> recording = (client) -> (SftpClient) Proxy.newProxyInstance(
				SftpIntegrationTests.class.getClassLoader(), new Class<?>[] { FullAccessSftpClient.class },
				(proxy, method, args) -> {
					if (method.getName().equals("close") && method.getParameterCount() == 0) {
						closes.add(Thread.currentThread().getName());
					}
					try {
						return method.invoke(client, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		try (EmbeddedSftpServer dedicated = EmbeddedSftpServer.start()) {
			SftpBackend backend = new SftpBackend(dedicated.settings(root()), DefaultDataBufferFactory.sharedInstance,
					recording);
			try (ObjectStorage storage = storage(backend)) {
				storage.write("evict/a", "a".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
				dedicated.disconnectAll();
				Thread.sleep(500); // the client notices the closed connection: the idle channel is evicted when borrowed
				for (int attempt = 0; attempt < 3; attempt++) {
					try {
						Mono.defer(() -> storage.stat("evict/a")).subscribeOn(Schedulers.parallel()).block(TIMEOUT);
						break;
					}
					catch (StorageException ex) {
						assertThat(ex.isTemporary()).isTrue();
					}
				}
				await(Duration.ofSeconds(10), () -> !closes.isEmpty());
				assertThat(closes).isNotEmpty().allSatisfy((thread) -> assertThat(thread).startsWith("sftp-127.0.0.1"));
			}
		}
	}

	@Test
	void closingTheBackendDuringAWriteFailsTheWriteAndReleasesItsBuffers() throws Exception {
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		SftpBackend backend = new SftpBackend(server.settings(root()));
		try (ObjectStorage storage = storage(backend)) {
			Sinks.Many<DataBuffer> content = Sinks.many().unicast().onBackpressureBuffer();
			AtomicReference<Throwable> error = new AtomicReference<>();
			CountDownLatch done = new CountDownLatch(1);
			storage.write("closing/a", content.asFlux()).subscribe(null, (ex) -> {
				error.set(ex);
				done.countDown();
			}, done::countDown);
			content.tryEmitNext(buffers.wrap(StorageTck.randomBytes(8192, 11)));
			await(Duration.ofSeconds(10), () -> buffers.unreleased() == 0); // written (and released)
			assertThat(buffers.unreleased()).isZero();
			backend.close();
			// the next buffer's task is refused: the write must end rather than wait for it forever
			content.tryEmitNext(buffers.wrap(StorageTck.randomBytes(8192, 12)));
			assertThat(done.await(10, TimeUnit.SECONDS)).as("the write ended").isTrue();
			assertThat(error.get()).isInstanceOf(StorageException.class).hasMessageContaining("closed");
			buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
		}
	}

	@Test
	void cancelledCopyStopsAndPublishesNothing() throws Exception {
		String root = root();
		SftpSettings settings = server.settingsBuilder(root).readChunkSize(4096).build();
		try (ObjectStorage storage = storage(new SftpBackend(settings))) {
			byte[] data = StorageTck.randomBytes(16 * 1024 * 1024, 13);
			storage.write("copy/source", chunks(data, 256 * 1024)).block(TIMEOUT);
			Path directory = server.directory().resolve(root.substring(1)).resolve("copy");
			Disposable copy = storage.copy("copy/source", "copy/target").subscribe();
			await(Duration.ofSeconds(10), () -> hasFilesNamed(directory, ".os-tmp-"));
			assertThat(hasFilesNamed(directory, ".os-tmp-")).as("the copy in progress has a temporary file").isTrue();
			copy.dispose();
			await(Duration.ofSeconds(30), () -> !hasFilesNamed(directory, ".os-tmp-"));
			assertThat(filesNamed(directory, ".os-tmp-")).isEmpty();
			assertThat(directory.resolve("target")).doesNotExist();
			assertThat(storage.exists("copy/target").block(TIMEOUT)).isFalse();
		}
	}

	@Test
	void theCallersContextReachesTheContent() {
		try (ObjectStorage storage = storage(new SftpBackend(server.settings(root())))) {
			Flux<DataBuffer> content = Flux
				.deferContextual((context) -> Flux.just(context.getOrDefault("tenant", "none")))
				.map((tenant) -> DefaultDataBufferFactory.sharedInstance.wrap(tenant.getBytes(StandardCharsets.UTF_8)));
			storage.write("context/a", content).contextWrite(Context.of("tenant", "acme")).block(TIMEOUT);
			assertThat(new String(read(storage, "context/a"), StandardCharsets.UTF_8)).isEqualTo("acme");
		}
	}

	/**
	 * A client whose renames onto data files (not onto hidden files) fail while {@code fail} is set,
	 * with the posix-rename extension too: a publication that fails after its sidecar moved.
	 */
	private static UnaryOperator<SftpClient> failingDataRenames(AtomicBoolean fail) {
		return (client) -> (SftpClient) Proxy.newProxyInstance(SftpIntegrationTests.class.getClassLoader(),
				new Class<?>[] { FullAccessSftpClient.class }, (proxy, method, args) -> {
					if (method.getName().equals("rename")) {
						failIfData(fail, (String) args[1]);
					}
					Object result;
					try {
						result = method.invoke(client, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
					if (result instanceof OpenSSHPosixRenameExtension rename) {
						return Proxy.newProxyInstance(SftpIntegrationTests.class.getClassLoader(),
								new Class<?>[] { OpenSSHPosixRenameExtension.class }, (p, m, a) -> {
									if (m.getName().equals("posixRename")) {
										failIfData(fail, (String) a[1]);
									}
									try {
										return m.invoke(rename, a);
									}
									catch (InvocationTargetException ex) {
										throw ex.getCause();
									}
								});
					}
					return result;
				});
	}

	private static void failIfData(AtomicBoolean fail, String target) throws SftpException {
		if (fail.get() && !target.substring(target.lastIndexOf('/') + 1).startsWith(".os-")) {
			throw new SftpException(SftpConstants.SSH_FX_FAILURE, "injected failure of the data rename");
		}
	}

	@Test
	void aFailedOverwriteOrRenameKeepsTheOldVersionsMetadata() throws IOException {
		String root = root();
		AtomicBoolean fail = new AtomicBoolean();
		SftpBackend backend = new SftpBackend(server.settings(root), DefaultDataBufferFactory.sharedInstance,
				failingDataRenames(fail));
		try (ObjectStorage storage = storage(backend)) {
			ObjectMetadata first = storage
				.write("keep/a", text("first"), WriteOptions.defaults().withContentType("text/plain"))
				.block(TIMEOUT);
			storage.write("keep/b", text("bee"), WriteOptions.defaults().withContentType("text/csv")).block(TIMEOUT);
			fail.set(true);
			StorageException overwrite = catchThrowableOfType(StorageException.class, () -> storage
				.write("keep/a", text("second version"), WriteOptions.defaults().withContentType("application/json"))
				.block(TIMEOUT));
			assertThat(overwrite).isNotNull();
			StorageException rename = catchThrowableOfType(StorageException.class,
					() -> storage.rename("keep/b", "keep/a").block(TIMEOUT));
			assertThat(rename).isNotNull();
			fail.set(false);
			ObjectMetadata a = storage.stat("keep/a").block(TIMEOUT);
			assertThat(a.contentType()).isEqualTo("text/plain");
			assertThat(a.etag()).isEqualTo(first.etag());
			assertThat(new String(read(storage, "keep/a"), StandardCharsets.UTF_8)).isEqualTo("first");
			assertThat(storage.stat("keep/b").block(TIMEOUT).contentType()).isEqualTo("text/csv");
			assertThat(filesNamed(server.directory().resolve(root.substring(1)), ".os-tmp-")).isEmpty();
		}
	}

	@Test
	void openSshAcceptsConditionalCreationAtomically() {
		OpenSshServer openssh = OpenSshServer.getOrSkip();
		try (ObjectStorage storage = storage(new SftpBackend(openssh.settings("it-" + UUID.randomUUID())))) {
			storage.write("cond/x", text("first"), WriteOptions.defaults().withIfNotExists(true))
				.block(TIMEOUT);
			StorageException ex = catchThrowableOfType(StorageException.class, () -> storage
				.write("cond/x", text("second"), WriteOptions.defaults().withIfNotExists(true))
				.block(TIMEOUT));
			assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
			assertThat(new String(read(storage, "cond/x"), StandardCharsets.UTF_8)).isEqualTo("first");
			storage.delete("cond/x").block(TIMEOUT);
		}
	}


	/**
	 * The sweep of a dead writer's temporary files removes exactly the old files named as the
	 * backend names them: not fresh ones, not other names with the reserved prefix, not objects or
	 * their sidecars, not files behind a symbolic link.
	 */
	@Test
	void sweepRemovesOnlyOldTemporaryFiles() throws IOException {
		String root = root();
		try (SftpBackend backend = new SftpBackend(server.settings(root))) {
			ObjectStorage storage = storage(backend);
			storage.write("dir/object.txt", text("kept")).block(TIMEOUT);
			Path directory = server.directory().resolve(root.substring(1)).resolve("dir");
			java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime
				.from(java.time.Instant.now().minus(Duration.ofHours(25)));
			Path oldTemp = Files.writeString(directory.resolve(".os-tmp-0123456789abcdef"), "dead writer");
			Files.setLastModifiedTime(oldTemp, old);
			Path freshTemp = Files.writeString(directory.resolve(".os-tmp-fedcba9876543210"), "live writer");
			Path notATempName = Files.writeString(directory.resolve(".os-tmp-0123456789ABCDEF"), "not ours");
			Files.setLastModifiedTime(notATempName, old);
			Path tooLong = Files.writeString(directory.resolve(".os-tmp-0123456789abcdef0"), "not ours");
			Files.setLastModifiedTime(tooLong, old);
			List<Path> sidecars = filesNamed(directory, SftpMetadata.PREFIX);
			assertThat(sidecars).hasSize(1);
			Files.setLastModifiedTime(sidecars.get(0), old);
			Files.setLastModifiedTime(directory.resolve("object.txt"), old);
			assertThat(storage.stat("dir/object.txt").block(TIMEOUT)).isNotNull();

			assertThat(backend.sweepTemporaryFiles(Duration.ofHours(24)).block(TIMEOUT)).isEqualTo(1);

			assertThat(oldTemp).doesNotExist();
			assertThat(freshTemp).exists();
			assertThat(notATempName).exists();
			assertThat(tooLong).exists();
			assertThat(sidecars.get(0)).exists();
			assertThat(new String(read(storage, "dir/object.txt"), StandardCharsets.UTF_8)).isEqualTo("kept");
			assertThat(backend.openChannels()).isLessThanOrEqualTo(server.settings(root).maxChannels());
		}
	}

	/** A backend sweeps once by itself, a few seconds after it starts, unless the sweep is off. */
	@Test
	void backendSweepsAtStartUnlessOff() throws Exception {
		String root = root();
		Path directory = Files.createDirectories(server.directory().resolve(root.substring(1)).resolve("a/b"));
		java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime
			.from(java.time.Instant.now().minus(Duration.ofHours(25)));
		Path oldTemp = Files.writeString(directory.resolve(".os-tmp-00000000000000ff"), "dead writer");
		Files.setLastModifiedTime(oldTemp, old);
		try (SftpBackend off = new SftpBackend(server.settingsBuilder(root).tempMaxAge(Duration.ZERO).build())) {
			Thread.sleep(SftpBackend.SWEEP_DELAY.toMillis() + 1000);
			assertThat(oldTemp).exists();
		}
		try (SftpBackend on = new SftpBackend(server.settingsBuilder(root).tempMaxAge(Duration.ofHours(24)).build())) {
			await(TIMEOUT, () -> !Files.exists(oldTemp));
			assertThat(oldTemp).doesNotExist();
		}
		InvalidSettingException negative = catchThrowableOfType(InvalidSettingException.class,
				() -> server.settingsBuilder(root).tempMaxAge(Duration.ofSeconds(-1)).build());
		assertThat(negative.setting()).isEqualTo("tempMaxAge");
		assertThat(SftpSettings.builder().host("h").username("u").password("p").build().tempMaxAge())
			.isEqualTo(Duration.ofHours(24));
	}

}
