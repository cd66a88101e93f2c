package dev.objectstorage.benchmarks;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.fs.FsBackend;
import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.layer.TimeoutLayer;
import dev.objectstorage.memory.MemoryBackend;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3ProxyServer;
import dev.objectstorage.s3.S3Settings;
import dev.objectstorage.spi.StorageBackend;
import org.apache.opendal.Operator;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
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
 * {@code s3-}); the baseline of each store is {@link #BASELINES}.
 */
final class Subjects {

	static final Map<String, String> BASELINES = Map.of("fs", "fs-filechannel", "memory", "memory-arraycopy", "s3",
			"s3-sdk");

	/** Buffers in which write content is handed over (views of the array, not copies). */
	static final int CHUNK = 64 * 1024;

	private Subjects() {
	}

	static Subject create(String name, Path directory) throws Exception {
		return switch (name) {
			case "fs-filechannel" -> new FileChannelSubject(directory);
			case "fs-databufferutils" -> new DataBufferUtilsSubject(directory);
			case "fs-library" -> new LibrarySubject(fs(directory), false, false);
			case "fs-library-layered" -> new LibrarySubject(fs(directory), true, false);
			case "fs-library-streams" -> new LibrarySubject(fs(directory), false, true);
			case "fs-opendal" -> new OpenDalSubject(Operator.of("fs", Map.of("root", directory.toString())));
			case "memory-arraycopy" -> new ArrayCopySubject();
			case "memory-library" -> new LibrarySubject(new MemoryBackend(), false, false);
			case "memory-library-layered" -> new LibrarySubject(new MemoryBackend(), true, false);
			case "memory-library-streams" -> new LibrarySubject(new MemoryBackend(), false, true);
			case "memory-opendal" -> new OpenDalSubject(Operator.of("memory", Map.of()));
			case "s3-sdk" -> new SdkSubject(s3Settings());
			case "s3-library" -> new LibrarySubject(new S3Backend(s3Settings()), false, false);
			case "s3-library-layered" -> new LibrarySubject(new S3Backend(s3Settings()), true, false);
			case "s3-library-streams" -> new LibrarySubject(new S3Backend(s3Settings()), false, true);
			default -> throw new IllegalArgumentException("unknown subject " + name);
		};
	}

	private static StorageBackend fs(Path directory) {
		return new FsBackend(FsSettings.of(directory));
	}

	/** The S3 server: S3Proxy, in this JVM, on 127.0.0.1; a fresh prefix per subject. */
	private static S3Settings s3Settings() {
		return S3ProxyServer.get().settings("bench-" + System.nanoTime());
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

	/** This library, plain or with the default layers, through the reactive API or the streams. */
	static final class LibrarySubject implements Subject {

		private final ObjectStorage storage;

		private final boolean streams;

		LibrarySubject(StorageBackend backend, boolean layered, boolean streams) {
			ObjectStorage.Builder builder = ObjectStorage.builder().name("bench").backend(backend);
			if (layered) {
				builder.layer(new MetricsLayer())
					.layer(new RetryLayer(RetryLayer.RetrySettings.defaults()))
					.layer(new TimeoutLayer(TimeoutLayer.TimeoutSettings.defaults()));
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
