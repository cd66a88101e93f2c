package dev.objectstorage;

import dev.objectstorage.spi.ObjectPaths;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.layer.Layer;
import dev.objectstorage.spi.StorageBackend;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * One object storage (a directory, a bucket, ...) behind one reactive API. This is what
 * applications inject.
 * <p>
 * Paths are relative to the storage's root and {@code /}-separated; see {@link ObjectPaths} for
 * what is valid. Every method returns a cold publisher: nothing happens until it is subscribed to,
 * and every error, including invalid input, arrives as a {@link StorageException} on subscription.
 * Only {@code null} arguments fail at once, with {@link ErrorKind#INVALID_INPUT}.
 * <p>
 * Buffer ownership: whoever receives a {@link DataBuffer} releases it. The subscriber of
 * {@link #read} releases every buffer it receives; the receiver of an {@link ObjectContent} from
 * {@link #open} consumes or releases it; {@link #write} consumes and releases every
 * buffer of its content, also when it fails or is cancelled.
 * <p>
 * Build one without Spring with {@link #builder()}; with Spring Boot, the starter builds one per
 * configured storage.
 */
public interface ObjectStorage extends AutoCloseable {

	/**
	 * A builder for an {@link ObjectStorage} over a backend and layers.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * The storage's name ({@code default}, or the name of a named storage).
	 * @return the name
	 */
	String name();

	/**
	 * The backend's scheme ({@code fs}, {@code memory}, {@code s3}, ...).
	 * @return the scheme
	 */
	String scheme();

	/**
	 * Where the data lives, for humans; never contains a secret.
	 * @return the location
	 */
	String location();

	/**
	 * What the backend supports. Using an unsupported option fails with {@link ErrorKind#UNSUPPORTED}.
	 * @return the capabilities
	 */
	Capabilities capabilities();

	/**
	 * The buffer factory of the backend, to allocate write content with.
	 * @return the factory
	 */
	DataBufferFactory bufferFactory();

	/**
	 * Streams a whole object. Reading starts on subscription, proceeds as the subscriber requests
	 * (a slow subscriber slows the backend) and stops when it cancels.
	 * @param path the object's path
	 * @return the bytes; the subscriber releases every buffer
	 */
	Flux<DataBuffer> read(String path);

	/**
	 * Streams an object, or a range of it, under conditions. A range that ends past the object's end
	 * returns the bytes up to the end; one that starts at or past the end of a non-empty object fails
	 * with {@link ErrorKind#RANGE_NOT_SATISFIABLE} (requires {@link Capabilities#readWithRange()}).
	 * {@code ifMatch} with another entity tag, or {@code ifNoneMatch} with the current one, fail with
	 * {@link ErrorKind#CONDITION_NOT_MATCH}.
	 * @param path the object's path
	 * @param options range, conditions and buffer size
	 * @return the bytes; the subscriber releases every buffer
	 */
	Flux<DataBuffer> read(String path, ReadOptions options);

	/**
	 * Opens a whole object; see {@link #open(String, ReadOptions)}.
	 * @param path the object's path
	 * @return the content; its receiver consumes or releases it
	 */
	Mono<ObjectContent> open(String path);

	/**
	 * Opens an object, or a range of it, under conditions: one trip to the backend that yields the
	 * metadata of the version being streamed together with its bytes, so that what a caller builds
	 * from the metadata (HTTP headers, say) always belongs to the bytes it sends. Ranges and
	 * conditions behave as for {@link #read(String, ReadOptions)}. The receiver of the content must
	 * subscribe to its body, transfer it, or release it (see {@link ObjectContent}). Where the object
	 * is a local file ({@code fs}), the content can be {@linkplain ObjectContent#transferTo transferred}
	 * without copying, still counted, timed and limited by the storage's layers.
	 * <pre>{@code
	 * storage.open("docs/a.txt", ReadOptions.range(0, 100)).flatMap((content) -> {
	 *     response.getHeaders().setETag(content.metadata().etag());
	 *     return response.writeWith(content.body());
	 * });
	 * }</pre>
	 * @param path the object's path
	 * @param options range, conditions and buffer size
	 * @return the content; its receiver consumes or releases it
	 */
	Mono<ObjectContent> open(String path, ReadOptions options);

	/**
	 * Reads a whole object into memory; for small objects.
	 * @param path the object's path
	 * @return the object's bytes (an empty array for an empty object)
	 */
	Mono<byte[]> readAllBytes(String path);

	/**
	 * Writes an object from a stream of buffers, atomically: readers see the old object or the whole
	 * new one, and a write that fails, or whose subscription is cancelled, publishes nothing. The
	 * content is consumed as the backend can take it (backpressure), so an object of any size goes
	 * through bounded memory.
	 * @param path the object's path
	 * @param content the bytes; every buffer is released by this method, also on error
	 * @return the new object's metadata
	 */
	Mono<ObjectMetadata> write(String path, Publisher<? extends DataBuffer> content);

	/**
	 * Writes an object with options (content type, metadata, conditions); see {@link #write(String, Publisher)}.
	 * {@code ifNotExists} on an existing object, or {@code ifMatch} with a stale entity tag, fail with
	 * {@link ErrorKind#CONDITION_NOT_MATCH} and leave the existing object untouched. Without a content
	 * type, one is guessed from the path's extension where the backend stores content types, unless
	 * the storage was built with {@link Builder#guessContentType(boolean) guessContentType(false)}.
	 * @param path the object's path
	 * @param content the bytes; every buffer is released by this method, also on error
	 * @param options the write options
	 * @return the new object's metadata
	 */
	Mono<ObjectMetadata> write(String path, Publisher<? extends DataBuffer> content, WriteOptions options);

	/**
	 * Writes an object from a byte array (the array is not copied: do not change it until the
	 * returned {@code Mono} completes).
	 * @param path the object's path
	 * @param content the bytes
	 * @return the new object's metadata
	 */
	Mono<ObjectMetadata> write(String path, byte[] content);

	/**
	 * Reads an object's metadata.
	 * @param path the object's path
	 * @return the metadata; {@link ErrorKind#NOT_FOUND} if the object does not exist
	 */
	Mono<ObjectMetadata> stat(String path);

	/**
	 * Whether an object exists.
	 * @param path the object's path
	 * @return {@code true} if it exists
	 */
	Mono<Boolean> exists(String path);

	/**
	 * Deletes an object; deleting a missing object succeeds.
	 * @param path the object's path
	 * @return completes when the object is gone
	 */
	Mono<Void> delete(String path);

	/**
	 * Deletes every object whose path the publisher emits, in batches where the service can.
	 * Missing objects are no error; an invalid path fails the whole operation.
	 * @param paths the paths
	 * @return completes when every object is gone
	 */
	Mono<Void> deleteAll(Publisher<String> paths);

	/**
	 * Lists the next level under a prefix, lazily; see {@link #list(String, ListOptions)}.
	 * @param prefix the prefix ({@code ""} for the root; {@code "docs/"} for a directory)
	 * @return the entries in lexicographic order of path
	 */
	Flux<ObjectEntry> list(String prefix);

	/**
	 * Lists what starts with {@code prefix}, lazily, in lexicographic (code point) order of path;
	 * paging with the service happens underneath as the subscriber requests. Non-recursive listings
	 * return deeper levels as directory entries ending in {@code /}. A prefix with nothing under it
	 * gives an empty stream.
	 * @param prefix the prefix; a prefix ending in {@code /} is a directory
	 * @param options recursion, start and limit
	 * @return the entries
	 */
	Flux<ObjectEntry> list(String prefix, ListOptions options);

	/**
	 * Copies an object, server-side where the service can, overwriting the target (requires
	 * {@link Capabilities#copy()}). A missing source fails with {@link ErrorKind#NOT_FOUND}.
	 * @param source the source path
	 * @param target the target path
	 * @return completes when the copy is in place
	 */
	Mono<Void> copy(String source, String target);

	/**
	 * Moves an object, overwriting the target (requires {@link Capabilities#rename()}). A missing
	 * source fails with {@link ErrorKind#NOT_FOUND}.
	 * @param source the source path
	 * @param target the target path
	 * @return completes when the object is at its new path
	 */
	Mono<Void> rename(String source, String target);

	/**
	 * A URL to read the object with a plain HTTP {@code GET} until it expires (requires
	 * {@link Capabilities#presignRead()}).
	 * @param path the object's path
	 * @param expiresIn how long the URL stays valid; positive
	 * @return the URL
	 */
	Mono<URI> presignRead(String path, Duration expiresIn);

	/**
	 * A URL to write the object with a plain HTTP {@code PUT} until it expires (requires
	 * {@link Capabilities#presignWrite()}).
	 * @param path the object's path
	 * @param expiresIn how long the URL stays valid; positive
	 * @return the URL
	 */
	Mono<URI> presignWrite(String path, Duration expiresIn);

	/**
	 * A blocking {@link InputStream} over {@link #read(String)}; closing the stream early cancels the
	 * read and releases the buffers it holds. Errors are thrown from {@code read} as
	 * {@link java.io.IOException}s whose cause is the {@link StorageException}.
	 * <p>
	 * The stream keeps 16 buffers of the read requested ahead of the reader. Buffers of 32 KiB or
	 * more are handed over as they are; smaller ones (HTTP clients deliver about 8 KiB at a time) are
	 * first joined, with the backend's {@link DataBufferFactory}, into buffers of at least 128 KiB, so
	 * that the reading thread is woken once per 128 KiB rather than once per small buffer. Memory held
	 * ahead of the reader is therefore bounded: at most 17 buffers (plus less than 128 KiB being
	 * joined), each at most 128 KiB larger than the largest buffer the backend delivers (about
	 * 2.4 MiB on S3, whose buffers are 8 KiB). The bytes pass through the storage's layers as they
	 * reach the stream, so the metrics of a stream closed early count up to that read-ahead more than
	 * the caller read.
	 * @param path the object's path
	 * @return the stream; the caller closes it
	 */
	InputStream openInputStream(String path);

	/**
	 * A blocking {@link InputStream} over {@link #read(String, ReadOptions)}.
	 * @param path the object's path
	 * @param options range, conditions and buffer size
	 * @return the stream; the caller closes it
	 */
	InputStream openInputStream(String path, ReadOptions options);

	/**
	 * A blocking {@link OutputStream} over {@link #write(String, Publisher)}. The object appears,
	 * atomically, when {@link OutputStream#close()} returns; {@code close()} throws an
	 * {@link java.io.IOException} (cause: the {@link StorageException}) if the write failed. A stream
	 * that is never closed, or that is {@link StorageOutputStream#abort() aborted}, publishes nothing.
	 * @param path the object's path
	 * @return the stream; the caller closes it
	 */
	StorageOutputStream openOutputStream(String path);

	/**
	 * A blocking {@link OutputStream} over {@link #write(String, Publisher, WriteOptions)}.
	 * @param path the object's path
	 * @param options the write options
	 * @return the stream; the caller closes it
	 */
	StorageOutputStream openOutputStream(String path, WriteOptions options);

	/**
	 * A Spring {@link Resource} view of an object: its {@code getInputStream()} reads through
	 * {@link #openInputStream(String)}, its length and date come from {@link #stat(String)}, so every
	 * byte goes through the storage's layers. Its methods block. To send an object zero-copy, use
	 * {@link #open(String, ReadOptions)} and {@link ObjectContent#transferTo}.
	 * @param path the object's path
	 * @return the resource (the object need not exist)
	 */
	Resource resource(String path);

	/**
	 * Checks that the storage can be used: its bucket, container, collection or directory exists and
	 * the credentials are accepted (one request where the service allows). For health checks: it
	 * goes around the layers, so it is not retried, timed or counted in the metrics; bound it with
	 * {@code timeout}.
	 * @return completes if the storage can be used; otherwise a {@link StorageException} saying why
	 */
	Mono<Void> check();

	/**
	 * Releases the backend's resources (clients, connection pools). Data is kept.
	 */
	@Override
	void close();

	/**
	 * Builds an {@link ObjectStorage} from a backend and layers.
	 * <pre>{@code
	 * ObjectStorage storage = ObjectStorage.builder()
	 *         .name("photos")
	 *         .backend(new FsBackend(FsSettings.builder().root(Path.of("/var/photos")).build()))
	 *         .layer(new RetryLayer(RetrySettings.defaults()))
	 *         .build();
	 * }</pre>
	 */
	final class Builder {

		private static final String OWNER = "ObjectStorage";

		private String name = "default";

		private StorageBackend backend;

		private final List<Layer> layers = new ArrayList<>();

		private boolean guessContentType = true;

		Builder() {
		}

		/**
		 * Sets whether a write without a content type gets one guessed from the path's extension
		 * ({@code photos/a.png} is stored as {@code image/png}), with Spring's
		 * {@code MediaTypeFactory} where spring-web is present and the JDK's file name map
		 * otherwise. Default {@code true}. Nothing is guessed on a backend that does not store
		 * content types ({@link Capabilities#writeWithContentType()}), nor for a name without an
		 * extension or with an unknown one; a content type given by the caller always wins.
		 * @param guessContentType whether to guess
		 * @return this builder
		 */
		public Builder guessContentType(boolean guessContentType) {
			this.guessContentType = guessContentType;
			return this;
		}

		/**
		 * Sets the name (default {@code default}).
		 * @param name the name
		 * @return this builder
		 * @throws InvalidSettingException if the name is empty
		 */
		public Builder name(String name) {
			if (name == null || name.isBlank()) {
				throw new InvalidSettingException(OWNER, "name", "must not be empty");
			}
			this.name = name;
			return this;
		}

		/**
		 * Sets the backend (required).
		 * @param backend the backend
		 * @return this builder
		 * @throws InvalidSettingException if the backend is {@code null}
		 */
		public Builder backend(StorageBackend backend) {
			if (backend == null) {
				throw new InvalidSettingException(OWNER, "backend", "must not be null");
			}
			this.backend = backend;
			return this;
		}

		/**
		 * Adds a layer. The first layer added is the outermost: it sees every call first.
		 * @param layer the layer
		 * @return this builder
		 */
		public Builder layer(Layer layer) {
			if (layer == null) {
				throw new InvalidSettingException(OWNER, "layer", "must not be null");
			}
			this.layers.add(layer);
			return this;
		}

		/**
		 * Adds layers, outermost first.
		 * @param layers the layers
		 * @return this builder
		 */
		public Builder layers(List<? extends Layer> layers) {
			layers.forEach(this::layer);
			return this;
		}

		/**
		 * Builds the storage.
		 * @return the storage
		 * @throws IllegalStateException if no backend was set
		 */
		public ObjectStorage build() {
			if (this.backend == null) {
				throw new IllegalStateException("An ObjectStorage needs a backend: call backend(...) before build()");
			}
			StorageBackend stack = this.backend;
			for (int i = this.layers.size() - 1; i >= 0; i--) {
				stack = this.layers.get(i).apply(stack);
			}
			return new DefaultObjectStorage(this.name, stack, this.guessContentType);
		}

	}

}
