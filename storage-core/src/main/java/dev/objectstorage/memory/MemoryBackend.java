package dev.objectstorage.memory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.Etags;
import dev.objectstorage.spi.HandedOver;
import dev.objectstorage.spi.PathOrder;
import dev.objectstorage.spi.Ranges;
import dev.objectstorage.spi.StorageBackend;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A backend that keeps objects in memory, for tests and for applications that need no durability.
 * <p>
 * Thread-safe and copy-on-write: an object's bytes are never changed once stored; a write builds a
 * new array and swaps it in atomically, so a reader of the old version is unaffected. Reads hand
 * out read-only views of the stored array, without copying.
 */
public class MemoryBackend implements StorageBackend {

	/** Default size of the views a read emits. */
	public static final int DEFAULT_BUFFER_SIZE = 256 * 1024;

	private static final Capabilities CAPABILITIES = Capabilities.full().deleteBatch(true).build();

	private static final AtomicLong INSTANCES = new AtomicLong();

	private final ConcurrentSkipListMap<String, Blob> objects = new ConcurrentSkipListMap<>(PathOrder.COMPARATOR);

	private final DataBufferFactory bufferFactory;

	private final AtomicLong versions = new AtomicLong();

	private final String location = "memory:" + INSTANCES.incrementAndGet();

	/** A backend with Spring's default (heap) buffer factory. */
	public MemoryBackend() {
		this(DefaultDataBufferFactory.sharedInstance);
	}

	/**
	 * A backend that wraps its bytes with the given factory.
	 * @param bufferFactory the factory
	 */
	public MemoryBackend(DataBufferFactory bufferFactory) {
		this.bufferFactory = bufferFactory;
	}

	@Override
	public String scheme() {
		return "memory";
	}

	@Override
	public String location() {
		return this.location;
	}

	@Override
	public Capabilities capabilities() {
		return CAPABILITIES;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	@Override
	public Mono<ObjectContent> open(String path, ReadOptions options) {
		return Mono.fromCallable(() -> {
			Blob blob = get(path, Operation.READ); // the version: never changed once stored
			checkConditions(blob, options, path);
			long length = Ranges.length(path, options, blob.size);
			long offset = (blob.size == 0) ? 0 : options.offset();
			return Contents.streamed(blob.metadata, offset, length, body(blob, offset, length, options), () -> {
			});
		});
	}

	private Flux<DataBuffer> body(Blob blob, long offset, long length, ReadOptions options) {
		int chunk = options.bufferSizeOr(DEFAULT_BUFFER_SIZE);
		long end = offset + length;
		return Flux.defer(() -> {
			return Flux.generate(() -> offset, (position, sink) -> {
				if (position >= end) {
					sink.complete();
					return position;
				}
				int index = blob.chunkAt(position);
				byte[] bytes = blob.chunks[index];
				int from = (int) (position - blob.starts[index]);
				int n = (int) Math.min(Math.min(chunk, bytes.length - from), end - position);
				sink.next(this.bufferFactory.wrap(ByteBuffer.wrap(bytes, from, n).slice().asReadOnlyBuffer()));
				return position + n;
			});
		});
	}

	private static void checkConditions(Blob blob, ReadOptions options, String path) {
		if (options.ifMatch() != null && !Etags.matches(options.ifMatch(), blob.metadata.etag())) {
			throw StorageException.conditionNotMatch(Operation.READ, path, "ifMatch");
		}
		if (options.ifNoneMatch() != null && Etags.matches(options.ifNoneMatch(), blob.metadata.etag())) {
			throw StorageException.conditionNotMatch(Operation.READ, path, "ifNoneMatch");
		}
	}

	@Override
	public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
		return content.collect(ArrayList<byte[]>::new, MemoryBackend::append)
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.map((chunks) -> store(path, chunks, options));
	}

	/** Copies a buffer's bytes out (the one copy a write makes; none for a handed-over array) and releases it. */
	private static void append(List<byte[]> chunks, DataBuffer buffer) {
		try {
			byte[] handed = HandedOver.array(buffer);
			if (handed != null) {
				if (handed.length > 0) {
					chunks.add(handed);
				}
			}
			else if (buffer.readableByteCount() > 0) {
				try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
					while (it.hasNext()) {
						chunks.add(copy(it.next()));
					}
				}
			}
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * A copy of a buffer's bytes. A heap buffer is copied with {@code Arrays.copyOfRange}, which the
	 * JIT compiles to one allocation whose zeroing it skips (the copy fills the array at once); a
	 * {@code new byte[n]} and a separate copy write the memory twice, which halves the speed of large
	 * writes.
	 */
	private static byte[] copy(ByteBuffer bytes) {
		int n = bytes.remaining();
		if (bytes.hasArray()) {
			int from = bytes.arrayOffset() + bytes.position();
			return Arrays.copyOfRange(bytes.array(), from, from + n);
		}
		byte[] copy = new byte[n];
		bytes.get(copy);
		return copy;
	}

	private ObjectMetadata store(String path, List<byte[]> chunks, WriteOptions options) {
		Blob blob = new Blob(chunks.toArray(new byte[0][]), null);
		ObjectMetadata metadata = ObjectMetadata.builder(path, blob.size, nextEtag())
			.lastModified(Instant.now())
			.attributesOf(options)
			.build();
		Blob stored = blob.withMetadata(metadata);
		this.objects.compute(path, (key, existing) -> {
			if (options.ifNotExists() && existing != null) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifNotExists: the object exists");
			}
			if (options.ifMatch() != null
					&& (existing == null || !Etags.matches(options.ifMatch(), existing.metadata.etag()))) {
				throw StorageException.conditionNotMatch(Operation.WRITE, path, "ifMatch");
			}
			return stored;
		});
		return metadata;
	}

	@Override
	public Mono<Void> check() {
		return Mono.empty();
	}

	@Override
	public Mono<ObjectMetadata> stat(String path) {
		return Mono.fromCallable(() -> get(path, Operation.STAT).metadata);
	}

	@Override
	public Mono<Void> delete(String path) {
		return Mono.fromRunnable(() -> this.objects.remove(path));
	}

	@Override
	public Mono<Void> deleteAll(Flux<String> paths) {
		return paths.doOnNext(this.objects::remove).then();
	}

	@Override
	public Flux<ObjectEntry> list(String prefix, ListOptions options) {
		return Flux.defer(() -> {
			NavigableMap<String, Blob> view = this.objects.tailMap(prefix, true);
			String startAfter = options.startAfter();
			if (startAfter != null && PathOrder.compare(startAfter, prefix) >= 0) {
				view = this.objects.tailMap(startAfter, false);
			}
			Iterator<Map.Entry<String, Blob>> it = view.entrySet().iterator();
			return Flux.fromIterable(() -> new ListIterator(it, prefix, startAfter, options.recursive()));
		});
	}

	@Override
	public Mono<Void> copy(String source, String target) {
		return Mono.fromRunnable(() -> {
			Blob blob = get(source, Operation.COPY);
			ObjectMetadata m = blob.metadata;
			this.objects.put(target, blob.withMetadata(m.toBuilder().path(target).lastModified(Instant.now()).version(null).build()));
		});
	}

	@Override
	public Mono<Void> rename(String source, String target) {
		return Mono.fromRunnable(() -> {
			Blob blob = this.objects.remove(source);
			if (blob == null) {
				throw StorageException.notFound(Operation.RENAME, source);
			}
			this.objects.put(target, blob.withMetadata(blob.metadata.toBuilder().path(target).build()));
		});
	}

	private Blob get(String path, Operation operation) {
		Blob blob = this.objects.get(path);
		if (blob == null) {
			throw StorageException.notFound(operation, path);
		}
		return blob;
	}

	private String nextEtag() {
		return Etags.quote(this.location.substring(7) + "-" + Long.toHexString(this.versions.incrementAndGet()));
	}

	/**
	 * One stored object: its bytes as the chunks the write received (copied once, never modified
	 * afterwards, so readers need no lock and no copy), and where each chunk starts.
	 */
	private static final class Blob {

		final byte[][] chunks;

		final long[] starts;

		final long size;

		final ObjectMetadata metadata;

		Blob(byte[][] chunks, ObjectMetadata metadata) {
			this.chunks = chunks;
			this.starts = new long[chunks.length];
			long position = 0;
			for (int i = 0; i < chunks.length; i++) {
				this.starts[i] = position;
				position += chunks[i].length;
			}
			this.size = position;
			this.metadata = metadata;
		}

		private Blob(Blob blob, ObjectMetadata metadata) {
			this.chunks = blob.chunks;
			this.starts = blob.starts;
			this.size = blob.size;
			this.metadata = metadata;
		}

		Blob withMetadata(ObjectMetadata metadata) {
			return new Blob(this, metadata);
		}

		/** The chunk that holds the byte at {@code position}. */
		int chunkAt(long position) {
			int index = Arrays.binarySearch(this.starts, position);
			return (index >= 0) ? index : -index - 2;
		}

	}

	/** Walks the sorted keys from a prefix, folding deeper levels into directories when not recursive. */
	private static final class ListIterator implements Iterator<ObjectEntry> {

		private final Iterator<Map.Entry<String, Blob>> source;

		private final String prefix;

		private final String startAfter;

		private final boolean recursive;

		private ObjectEntry next;

		private String lastDirectory;

		ListIterator(Iterator<Map.Entry<String, Blob>> source, String prefix, String startAfter, boolean recursive) {
			this.source = source;
			this.prefix = prefix;
			this.startAfter = startAfter;
			this.recursive = recursive;
		}

		@Override
		public boolean hasNext() {
			while (this.next == null && this.source.hasNext()) {
				Map.Entry<String, Blob> entry = this.source.next();
				String key = entry.getKey();
				if (!key.startsWith(this.prefix)) {
					return false;
				}
				int slash = this.recursive ? -1 : key.indexOf('/', this.prefix.length());
				if (slash >= 0) {
					String directory = key.substring(0, slash + 1);
					if (directory.equals(this.lastDirectory)
							|| (this.startAfter != null && PathOrder.compare(directory, this.startAfter) <= 0)) {
						continue;
					}
					this.lastDirectory = directory;
					this.next = ObjectEntry.directory(directory);
				}
				else {
					ObjectMetadata m = entry.getValue().metadata;
					this.next = ObjectEntry.object(key, m.size(), m.lastModified(), m.etag());
				}
			}
			return this.next != null;
		}

		@Override
		public ObjectEntry next() {
			if (!hasNext()) {
				throw new java.util.NoSuchElementException();
			}
			ObjectEntry result = this.next;
			this.next = null;
			return result;
		}

	}

}
