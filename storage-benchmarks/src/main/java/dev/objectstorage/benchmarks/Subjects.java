package dev.objectstorage.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlobRange;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.azblob.AzureBlobBackend;
import dev.objectstorage.azblob.AzureBlobSettings;
import dev.objectstorage.azblob.AzuriteServer;
import dev.objectstorage.fs.FsBackend;
import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.layer.ConcurrencyLimitLayer;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.layer.TimeoutLayer;
import dev.objectstorage.memory.MemoryBackend;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3ProxyServer;
import dev.objectstorage.s3.S3Settings;
import dev.objectstorage.sftp.EmbeddedSftpServer;
import dev.objectstorage.sftp.SftpBackend;
import dev.objectstorage.sftp.SftpSettings;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.webdav.HttpdServer;
import dev.objectstorage.webdav.WebDavBackend;
import dev.objectstorage.webdav.WebDavSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.apache.opendal.Operator;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * The subjects, by name. Names start with the store they measure ({@code fs-}, {@code memory-},
 * {@code s3-}, {@code azblob-}, {@code webdav-}, {@code sftp-}); the baseline of each store is
 * {@link #BASELINES}.
 */
final class Subjects {

	/** The stores, in the order the report shows them. */
	static final List<String> STORES = List.of("fs", "memory", "s3", "azblob", "webdav", "sftp");

	static final Map<String, String> BASELINES = Map.of("fs", "fs-filechannel", "memory", "memory-arraycopy", "s3",
			"s3-sdk", "azblob", "azblob-sdk", "webdav", "webdav-netty", "sftp", "sftp-mina");

	/** Buffers in which write content is handed over (views of the array, not copies). */
	static final int CHUNK = 64 * 1024;

	private Subjects() {
	}

	static Subject create(String name, Path directory) throws Exception {
		return switch (name) {
			case "fs-filechannel" -> new FileChannelSubject(directory);
			case "fs-atomic" -> new AtomicFileSubject(directory);
			case "fs-databufferutils" -> new DataBufferUtilsSubject(directory);
			case "fs-library" -> new LibrarySubject(fs(directory), false, false);
			case "fs-library-layered" -> new LibrarySubject(fs(directory), true, false);
			case "fs-library-limited" -> new LibrarySubject(fs(directory), true, false, true);
			case "fs-library-streams" -> new LibrarySubject(fs(directory), false, true);
			case "fs-opendal" -> new OpenDalSubject(Operator.of("fs", Map.of("root", directory.toString())));
			case "memory-arraycopy" -> new ArrayCopySubject();
			case "memory-library" -> new LibrarySubject(new MemoryBackend(), false, false);
			case "memory-library-layered" -> new LibrarySubject(new MemoryBackend(), true, false);
			case "memory-library-limited" -> new LibrarySubject(new MemoryBackend(), true, false, true);
			case "memory-library-streams" -> new LibrarySubject(new MemoryBackend(), false, true);
			case "memory-opendal" -> new OpenDalSubject(Operator.of("memory", Map.of()));
			case "s3-sdk" -> new SdkSubject(s3Settings());
			case "s3-library" -> new LibrarySubject(new S3Backend(s3Settings()), false, false);
			case "s3-library-layered" -> new LibrarySubject(new S3Backend(s3Settings()), true, false);
			case "s3-library-limited" -> new LibrarySubject(new S3Backend(s3Settings()), true, false, true);
			case "s3-library-streams" -> new LibrarySubject(new S3Backend(s3Settings()), false, true);
			case "azblob-sdk" -> new AzureSdkSubject(azblobSettings());
			case "azblob-library" -> new LibrarySubject(new AzureBlobBackend(azblobSettings()), false, false);
			case "webdav-netty" -> new NettyHttpSubject(webdavSettings());
			case "webdav-library" -> new LibrarySubject(new WebDavBackend(webdavSettings()), false, false);
			// httpd's PUT was found atomic (WebDavAtomicPutTests): writes without metadata PUT straight to the
			// path; without a content type guessed from the name (".bin"), which is metadata, as the raw PUT
			// of webdav-netty sends none either
			case "webdav-library-atomicput" -> new LibrarySubject(
					new WebDavBackend(webdavSettings().toBuilder().atomicPut(true).build()), false, false, false, false);
			case "sftp-mina" -> new MinaSftpSubject(sftpSettings());
			case "sftp-library" -> new LibrarySubject(new SftpBackend(sftpSettings()), false, false);
			default -> throw new IllegalArgumentException("unknown subject " + name);
		};
	}

	private static StorageBackend fs(Path directory) {
		return new FsBackend(FsSettings.builder().root(directory).build());
	}

	/**
	 * The S3 server: S3Proxy on 127.0.0.1, a process of its own at {@value BenchmarkServers#S3_ENDPOINT}
	 * when that system property is set (run-benchmarks.sh starts it once per run), or else in this JVM;
	 * a fresh prefix per subject.
	 */
	private static S3Settings s3Settings() {
		String endpoint = System.getProperty(BenchmarkServers.S3_ENDPOINT);
		String prefix = "bench-" + System.nanoTime();
		if (endpoint == null) {
			return S3ProxyServer.get().settings(prefix);
		}
		return S3Settings.builder()
			.bucket(S3ProxyServer.BUCKET)
			.prefix(prefix)
			.endpoint(URI.create(endpoint))
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
			.build();
	}

	/**
	 * The Azure Blob server: Azurite (Node.js, in memory) on 127.0.0.1, at
	 * {@value BenchmarkServers#AZBLOB_ENDPOINT} when that system property is set, or else started by
	 * this JVM (installed on first use into {@code target/azurite} of the working directory); a fresh
	 * prefix per subject.
	 */
	private static AzureBlobSettings azblobSettings() {
		String endpoint = System.getProperty(BenchmarkServers.AZBLOB_ENDPOINT);
		String prefix = "bench-" + System.nanoTime();
		if (endpoint == null) {
			return AzuriteServer.get().settings(prefix);
		}
		return AzureBlobSettings.builder()
			.endpoint(URI.create(endpoint))
			.accountName(AzuriteServer.ACCOUNT_NAME)
			.accountKey(AzuriteServer.ACCOUNT_KEY)
			.container(AzuriteServer.CONTAINER)
			.prefix(prefix)
			.build();
	}

	/**
	 * The WebDAV server: Apache httpd with mod_dav_fs on 127.0.0.1, at
	 * {@value BenchmarkServers#WEBDAV_URL} when that system property is set, or else started by this
	 * JVM; a fresh root per subject.
	 */
	private static WebDavSettings webdavSettings() {
		String url = System.getProperty(BenchmarkServers.WEBDAV_URL);
		String root = "bench-" + System.nanoTime();
		if (url == null) {
			return HttpdServer.get().settings(root);
		}
		return WebDavSettings.builder(url).root(root).build();
	}

	/**
	 * The SFTP server: MINA SSHD on 127.0.0.1, in the servers' process at port
	 * {@value BenchmarkServers#SFTP_PORT} when that system property is set, or else in this JVM; a
	 * fresh root directory per subject.
	 */
	private static SftpSettings sftpSettings() throws IOException {
		String port = System.getProperty(BenchmarkServers.SFTP_PORT);
		String root = "/bench-" + System.nanoTime();
		if (port == null) {
			return EmbeddedSftpServer.get().settings(root);
		}
		return SftpSettings.builder()
			.host("127.0.0.1")
			.port(Integer.parseInt(port))
			.username(EmbeddedSftpServer.USERNAME)
			.privateKey(Files.readString(Path.of(System.getProperty(BenchmarkServers.SFTP_PRIVATE_KEY))))
			.knownHosts(Path.of(System.getProperty(BenchmarkServers.SFTP_KNOWN_HOSTS)))
			.root(root)
			.build();
	}

	/** The content as views of the array, {@link #CHUNK} bytes each: buffers already in memory. */
	static List<DataBuffer> chunks(byte[] content) {
		List<DataBuffer> buffers = new ArrayList<>();
		for (int offset = 0; offset < content.length; offset += CHUNK) {
			int n = Math.min(CHUNK, content.length - offset);
			buffers.add(DefaultDataBufferFactory.sharedInstance.wrap(ByteBuffer.wrap(content, offset, n)));
		}
		return buffers;
	}

	static void consume(DataBuffer buffer, byte[] sink) {
		try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
			while (it.hasNext()) {
				Subject.consume(it.next(), sink);
			}
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/** The machine's limit for files: a FileChannel into a reused buffer. */
	static final class FileChannelSubject implements Subject {

		private final Path directory;

		FileChannelSubject(Path directory) {
			this.directory = directory;
		}

		@Override
		public void put(String key, byte[] content) throws Exception {
			writeOnce(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) throws Exception {
			try (FileChannel channel = FileChannel.open(this.directory.resolve(key), StandardOpenOption.READ)) {
				return read(channel, 0, Long.MAX_VALUE, sink);
			}
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) throws Exception {
			try (FileChannel channel = FileChannel.open(this.directory.resolve(key), StandardOpenOption.READ)) {
				return read(channel, offset, length, sink);
			}
		}

		private static long read(FileChannel channel, long position, long length, byte[] sink) throws Exception {
			ByteBuffer buffer = ByteBuffer.wrap(sink);
			long total = 0;
			while (total < length) {
				buffer.clear();
				if (length - total < buffer.capacity()) {
					buffer.limit((int) (length - total));
				}
				int n = channel.read(buffer, position + total);
				if (n < 0) {
					break;
				}
				total += n;
			}
			return total;
		}

		@Override
		public void writeOnce(String key, byte[] content) throws Exception {
			Path file = this.directory.resolve(key);
			Files.createDirectories(file.getParent());
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}
		}

		@Override
		public long stat(String key) throws Exception {
			return Files.size(this.directory.resolve(key));
		}

	}

	/**
	 * What the fs backend does, in plain Java, for the targets that compare it with the least it has
	 * to do: write_once writes a temporary file in the same directory with a FileChannel and moves it
	 * over the object atomically (no fsync: the backend's default does not force either); stat reads
	 * the basic attributes and the user extended attribute the backend keeps its metadata in (the
	 * object is stored with one); reads are those of {@code fs-filechannel}.
	 */
	static final class AtomicFileSubject implements Subject {

		/** The attribute the fs backend keeps content type, user metadata and tag in. */
		static final String ATTRIBUTE = "objectstorage";

		private final Path directory;

		private final FileChannelSubject reads;

		private final ByteBuffer attribute = ByteBuffer.allocateDirect(64 * 1024);

		AtomicFileSubject(Path directory) {
			this.directory = directory;
			this.reads = new FileChannelSubject(directory);
		}

		@Override
		public void put(String key, byte[] content) throws Exception {
			writeOnce(key, content);
			UserDefinedFileAttributeView view = Files.getFileAttributeView(this.directory.resolve(key),
					UserDefinedFileAttributeView.class);
			if (view != null) {
				try {
					view.write(ATTRIBUTE, StandardCharsets.UTF_8.encode("tag=8f3a2c1d9e7b6a50\n"));
				}
				catch (IOException ex) {
					// no user extended attributes here: the backend keeps none either
				}
			}
		}

		@Override
		public long readFull(String key, byte[] sink) throws Exception {
			return this.reads.readFull(key, sink);
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) throws Exception {
			return this.reads.readRange(key, offset, length, sink);
		}

		@Override
		public void writeOnce(String key, byte[] content) throws Exception {
			Path file = this.directory.resolve(key);
			Path parent = file.getParent();
			Files.createDirectories(parent);
			Path temp = Files.createTempFile(parent, ".bench-", ".tmp");
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}

		@Override
		public long stat(String key) throws Exception {
			Path file = this.directory.resolve(key);
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
			try {
				view.read(ATTRIBUTE, this.attribute.clear());
			}
			catch (IOException ex) {
				// no such attribute: the backend reads and finds none as well
			}
			return attributes.size();
		}

	}

	/** Spring's own file I/O: {@code DataBufferUtils.read(Path, ...)} and {@code write(..., Path)}. */
	static final class DataBufferUtilsSubject implements Subject {

		private final Path directory;

		DataBufferUtilsSubject(Path directory) {
			this.directory = directory;
		}

		@Override
		public void put(String key, byte[] content) throws Exception {
			writeOnce(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) {
			long[] total = new long[1];
			DataBufferUtils.read(this.directory.resolve(key), DefaultDataBufferFactory.sharedInstance, CHUNK)
				.doOnNext((b) -> {
					total[0] += b.readableByteCount();
					consume(b, sink);
				})
				.blockLast();
			return total[0];
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) {
			long[] total = new long[1];
			Flux<DataBuffer> all = DataBufferUtils.readAsynchronousFileChannel(
					() -> java.nio.channels.AsynchronousFileChannel.open(this.directory.resolve(key),
							StandardOpenOption.READ),
					offset, DefaultDataBufferFactory.sharedInstance, CHUNK);
			DataBufferUtils.takeUntilByteCount(all, length).doOnNext((b) -> {
				total[0] += b.readableByteCount();
				consume(b, sink);
			}).blockLast();
			return total[0];
		}

		@Override
		public void writeOnce(String key, byte[] content) throws Exception {
			Path file = this.directory.resolve(key);
			Files.createDirectories(file.getParent());
			DataBufferUtils.write(Flux.fromIterable(chunks(content)), file).block();
		}

		@Override
		public long stat(String key) throws Exception {
			return Files.size(this.directory.resolve(key));
		}

	}

	/** Memory's limit: copying the bytes with {@code System.arraycopy}. */
	static final class ArrayCopySubject implements Subject {

		private final Map<String, byte[]> objects = new java.util.concurrent.ConcurrentHashMap<>();

		@Override
		public void put(String key, byte[] content) {
			this.objects.put(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) {
			byte[] object = this.objects.get(key);
			Subject.consume(object, 0, object.length, sink);
			return object.length;
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) {
			Subject.consume(this.objects.get(key), (int) offset, length, sink);
			return length;
		}

		@Override
		public void writeOnce(String key, byte[] content) {
			this.objects.put(key, content.clone());
		}

		@Override
		public long stat(String key) {
			return this.objects.get(key).length;
		}

	}

	/**
	 * This library, plain or with the default layers (and the concurrency limit), through the
	 * reactive API or the streams.
	 */
	static final class LibrarySubject implements Subject {

		/** The limit of the {@code *-library-limited} subjects. */
		static final int CONCURRENCY_LIMIT = 64;

		private final ObjectStorage storage;

		private final boolean streams;

		LibrarySubject(StorageBackend backend, boolean layered, boolean streams) {
			this(backend, layered, streams, false);
		}

		LibrarySubject(StorageBackend backend, boolean layered, boolean streams, boolean limited) {
			this(backend, layered, streams, limited, true);
		}

		LibrarySubject(StorageBackend backend, boolean layered, boolean streams, boolean limited,
				boolean guessContentType) {
			ObjectStorage.Builder builder = ObjectStorage.builder()
				.name("bench")
				.backend(backend)
				.guessContentType(guessContentType);
			if (layered) {
				builder.layer(new MetricsLayer())
					.layer(new RetryLayer(RetryLayer.RetrySettings.defaults()))
					.layer(new TimeoutLayer(TimeoutLayer.TimeoutSettings.defaults()));
			}
			if (limited) {
				builder.layer(new ConcurrencyLimitLayer(CONCURRENCY_LIMIT));
			}
			this.storage = builder.build();
			this.streams = streams;
		}

		@Override
		public void put(String key, byte[] content) {
			this.storage.write(key, Flux.fromIterable(chunks(content))).block();
		}

		@Override
		public long readFull(String key, byte[] sink) throws Exception {
			if (this.streams) {
				try (InputStream in = this.storage.openInputStream(key)) {
					return drain(in, sink);
				}
			}
			return drain(this.storage.read(key), sink);
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) throws Exception {
			if (this.streams) {
				try (InputStream in = this.storage.openInputStream(key, ReadOptions.range(offset, length))) {
					return drain(in, sink);
				}
			}
			return drain(this.storage.read(key, ReadOptions.range(offset, length)), sink);
		}

		private static long drain(InputStream in, byte[] sink) throws Exception {
			long total = 0;
			int n;
			while ((n = in.read(sink, 0, sink.length)) >= 0) {
				total += n;
			}
			return total;
		}

		private static long drain(Flux<DataBuffer> flux, byte[] sink) {
			long[] total = new long[1];
			flux.doOnNext((b) -> {
				total[0] += b.readableByteCount();
				consume(b, sink);
			}).blockLast();
			return total[0];
		}

		@Override
		public void writeOnce(String key, byte[] content) throws Exception {
			if (this.streams) {
				try (OutputStream out = this.storage.openOutputStream(key)) {
					out.write(content);
				}
				return;
			}
			this.storage.write(key, Flux.fromIterable(chunks(content))).block();
		}

		@Override
		public long stat(String key) {
			return this.storage.stat(key).block().size();
		}

		@Override
		public void close() {
			this.storage.close();
		}

	}

	/** The AWS SDK's S3AsyncClient used directly against the same server. */
	static final class SdkSubject implements Subject {

		private final S3AsyncClient client;

		private final S3Settings settings;

		SdkSubject(S3Settings settings) {
			this.settings = settings;
			this.client = S3Backend.createClient(settings);
		}

		private String key(String key) {
			return this.settings.prefix() + key;
		}

		@Override
		public void put(String key, byte[] content) {
			writeOnce(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) {
			return read(key, null, sink);
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) {
			return read(key, "bytes=" + offset + "-" + (offset + length - 1), sink);
		}

		private long read(String key, String range, byte[] sink) {
			ResponsePublisher<GetObjectResponse> body = this.client
				.getObject((b) -> b.bucket(this.settings.bucket()).key(key(key)).range(range),
						AsyncResponseTransformer.toPublisher())
				.join();
			CompletableFuture<Long> done = new CompletableFuture<>();
			body.subscribe(new Subscriber<ByteBuffer>() {
				private long total;

				@Override
				public void onSubscribe(Subscription s) {
					s.request(Long.MAX_VALUE);
				}

				@Override
				public void onNext(ByteBuffer buffer) {
					this.total += buffer.remaining();
					Subject.consume(buffer, sink);
				}

				@Override
				public void onError(Throwable t) {
					done.completeExceptionally(t);
				}

				@Override
				public void onComplete() {
					done.complete(this.total);
				}
			});
			return done.join();
		}

		@Override
		public void writeOnce(String key, byte[] content) {
			this.client.putObject((b) -> b.bucket(this.settings.bucket()).key(key(key)),
					AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(content))).join();
		}

		@Override
		public long stat(String key) {
			return this.client.headObject((b) -> b.bucket(this.settings.bucket()).key(key(key))).join().contentLength();
		}

		@Override
		public void close() {
			this.client.close();
		}

	}

	/**
	 * The Azure SDK's {@link BlobAsyncClient} used directly against the same server, as a user of
	 * the SDK would: {@code downloadStream} of the whole blob, and {@code upload} of the bytes in one
	 * {@code Put Blob} (the SDK's default for uploads up to 256 MiB).
	 */
	static final class AzureSdkSubject implements Subject {

		private final BlobContainerAsyncClient container;

		private final String prefix;

		AzureSdkSubject(AzureBlobSettings settings) {
			this.container = AzureBlobBackend.createClient(settings);
			this.prefix = settings.prefix();
		}

		private BlobAsyncClient blob(String key) {
			return this.container.getBlobAsyncClient(this.prefix + key);
		}

		@Override
		public void put(String key, byte[] content) {
			writeOnce(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) {
			return drain(blob(key).downloadStream(), sink);
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) {
			return drain(blob(key).downloadStreamWithResponse(new BlobRange(offset, (long) length), null, null, false)
				.flatMapMany((response) -> response.getValue()), sink);
		}

		private static long drain(Flux<ByteBuffer> body, byte[] sink) {
			long[] total = new long[1];
			body.doOnNext((buffer) -> {
				total[0] += buffer.remaining();
				Subject.consume(buffer, sink);
			}).blockLast();
			return total[0];
		}

		@Override
		public void writeOnce(String key, byte[] content) {
			blob(key).upload(BinaryData.fromBytes(content), true).block();
		}

		@Override
		public long stat(String key) {
			return blob(key).getProperties().block().getBlobSize();
		}

	}

	/**
	 * Reactor Netty's {@link HttpClient} used directly against the same WebDAV server: a plain
	 * {@code GET} of the object's URL, and a plain {@code PUT} of the bytes with their length (the
	 * collections are created once, with {@code MKCOL}, when the subject is set up).
	 */
	static final class NettyHttpSubject implements Subject {

		private final ConnectionProvider provider;

		private final HttpClient http;

		/** The root collection's URL, ending in {@code /}. */
		private final String root;

		NettyHttpSubject(WebDavSettings settings) throws IOException {
			this.provider = ConnectionProvider.create("bench-webdav", WebDavSettings.DEFAULT_MAX_CONNECTIONS);
			this.http = HttpClient.create(this.provider).keepAlive(true);
			this.root = settings.baseUrl() + (settings.root().isEmpty() ? "" : settings.root() + "/");
			mkcol(this.root);
			mkcol(this.root + "bench/");
		}

		private void mkcol(String url) throws IOException {
			int status = this.http.request(HttpMethod.valueOf("MKCOL"))
				.uri(url)
				.responseSingle((response, body) -> body.asByteArray().then(Mono.just(response.status().code())))
				.block();
			if (status != 201 && status != 405) {
				throw new IOException("MKCOL " + url + ": " + status);
			}
		}

		@Override
		public void put(String key, byte[] content) throws IOException {
			writeOnce(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) throws IOException {
			return get(key, null, sink);
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) throws IOException {
			return get(key, "bytes=" + offset + "-" + (offset + length - 1), sink);
		}

		private long get(String key, String range, byte[] sink) throws IOException {
			long[] total = new long[1];
			int[] status = new int[1];
			HttpClient client = (range != null) ? this.http.headers((h) -> h.set(HttpHeaderNames.RANGE, range))
					: this.http;
			// Reactor Netty releases each received buffer once it has been handed on
			client.get().uri(this.root + key).response((response, body) -> {
				status[0] = response.status().code();
				return body.doOnNext((buffer) -> {
					total[0] += buffer.readableBytes();
					consume(buffer, sink);
				});
			}).blockLast();
			if (status[0] != 200 && status[0] != 206) {
				throw new IOException("GET " + key + ": " + status[0]);
			}
			return total[0];
		}

		private static void consume(ByteBuf buffer, byte[] sink) {
			int index = buffer.readerIndex();
			int end = buffer.writerIndex();
			while (index < end) {
				int n = Math.min(end - index, sink.length);
				buffer.getBytes(index, sink, 0, n);
				index += n;
			}
		}

		@Override
		public void writeOnce(String key, byte[] content) throws IOException {
			int status = this.http
				.headers((h) -> h.set(HttpHeaderNames.CONTENT_LENGTH, content.length)
					.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream"))
				.put()
				.uri(this.root + key)
				// a view of the array, not a copy; a fresh one if the request is sent again
				.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(content)))
				.responseSingle((response, body) -> body.asByteArray().then(Mono.just(response.status().code())))
				.block();
			if (status != 201 && status != 204 && status != 200) {
				throw new IOException("PUT " + key + ": " + status);
			}
		}

		@Override
		public long stat(String key) throws IOException {
			return this.http.head()
				.uri(this.root + key)
				.responseSingle((response, body) -> body.asByteArray().then(Mono.fromSupplier(() -> {
					if (response.status().code() != 200) {
						throw new IllegalStateException("HEAD " + key + ": " + response.status().code());
					}
					return Long.parseLong(response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH));
				})))
				.block();
		}

		@Override
		public void close() {
			this.provider.dispose();
		}

	}

	/**
	 * Apache MINA SSHD's {@link SftpClient} used directly against the same server, over one SSH
	 * connection and one SFTP channel opened when the subject is set up: {@code read(path)} and
	 * {@code write(path)}, the client's streams, which keep several requests in flight.
	 */
	static final class MinaSftpSubject implements Subject {

		private final SshClient client;

		private final ClientSession session;

		private final SftpClient sftp;

		/** The root directory, absolute, ending in {@code /}. */
		private final String root;

		MinaSftpSubject(SftpSettings settings) throws Exception {
			this.client = SshClient.setUpDefaultClient();
			this.client.setServerKeyVerifier(
					new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, settings.knownHosts()));
			this.client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
			this.client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
			this.client.start();
			this.session = this.client.connect(settings.username(), settings.host(), settings.port())
				.verify(settings.connectTimeout())
				.getSession();
			Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("bench"),
					new ByteArrayInputStream(settings.privateKey().getBytes(StandardCharsets.UTF_8)), null);
			keys.forEach(this.session::addPublicKeyIdentity);
			this.session.auth().verify(settings.authTimeout());
			this.sftp = SftpClientFactory.instance().createSftpClient(this.session);
			this.root = settings.root() + "/";
			mkdir(settings.root());
			mkdir(this.root + "bench");
		}

		private void mkdir(String directory) throws IOException {
			try {
				this.sftp.mkdir(directory);
			}
			catch (SftpException ex) {
				if (ex.getStatus() != SftpConstants.SSH_FX_FILE_ALREADY_EXISTS
						&& !this.sftp.stat(directory).isDirectory()) {
					throw ex;
				}
			}
		}

		@Override
		public void put(String key, byte[] content) throws IOException {
			writeOnce(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) throws IOException {
			try (InputStream in = this.sftp.read(this.root + key)) {
				long total = 0;
				int n;
				while ((n = in.read(sink, 0, sink.length)) >= 0) {
					total += n;
				}
				return total;
			}
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) throws IOException {
			try (SftpClient.CloseableHandle handle = this.sftp.open(this.root + key, SftpClient.OpenMode.Read)) {
				int total = 0;
				while (total < length) {
					int n = this.sftp.read(handle, offset + total, sink, 0, Math.min(length - total, sink.length));
					if (n < 0) {
						break;
					}
					total += n;
				}
				return total;
			}
		}

		@Override
		public void writeOnce(String key, byte[] content) throws IOException {
			try (OutputStream out = this.sftp.write(this.root + key)) {
				out.write(content);
			}
		}

		@Override
		public long stat(String key) throws IOException {
			return this.sftp.stat(this.root + key).getSize();
		}

		@Override
		public void close() {
			try {
				this.sftp.close();
				// graceful, so that the server sees the connection end rather than a broken pipe
				this.session.close(false).await(5_000);
			}
			catch (IOException ex) {
				// closing anyway
			}
			finally {
				this.client.stop();
			}
		}

	}

	/** Apache OpenDAL's Java binding (blocking operator). */
	static final class OpenDalSubject implements Subject {

		private final Operator operator;

		OpenDalSubject(Operator operator) {
			this.operator = operator;
		}

		@Override
		public void put(String key, byte[] content) {
			this.operator.write(key, content);
		}

		@Override
		public long readFull(String key, byte[] sink) {
			byte[] bytes = this.operator.read(key);
			Subject.consume(bytes, 0, bytes.length, sink);
			return bytes.length;
		}

		@Override
		public long readRange(String key, long offset, int length, byte[] sink) {
			byte[] bytes = this.operator.read(key, offset, length);
			Subject.consume(bytes, 0, bytes.length, sink);
			return bytes.length;
		}

		@Override
		public void writeOnce(String key, byte[] content) {
			this.operator.write(key, content);
		}

		@Override
		public long stat(String key) {
			return this.operator.stat(key).getContentLength();
		}

		@Override
		public void close() {
			this.operator.close();
		}

	}

}
