package dev.objectstorage.spi;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * The service provider interface: one implementation per storage service, doing the raw
 * operations. Applications use {@link ObjectStorage}, which validates and normalises every argument
 * before it calls a backend, so a backend may assume:
 * <ul>
 * <li>object paths are non-empty, relative, {@code /}-separated, without empty, {@code .} or
 * {@code ..} segments, control characters or backslashes, and do not end in {@code /};</li>
 * <li>list prefixes follow the same rules but may be empty or end in {@code /};</li>
 * <li>options are valid and only use what {@link #capabilities()} declares;</li>
 * <li>paths and prefixes have no segment ending in {@code .} unless
 * {@link Capabilities#segmentsEndingInDot()} is declared;</li>
 * <li>{@code copy} and {@code rename} have different source and target.</li>
 * </ul>
 * Every method returns a cold publisher: no work starts before subscription, and errors are
 * emitted as {@link StorageException}s (a backend maps its service's errors in one place).
 * Whoever receives a {@link DataBuffer} releases it: a backend releases every buffer of a write's
 * content, also on error and cancellation; the subscriber of a read releases what it receives.
 */
public interface StorageBackend extends AutoCloseable {

	/**
	 * The backend's scheme, for example {@code fs}, {@code memory} or {@code s3}.
	 * @return the scheme
	 */
	String scheme();

	/**
	 * Where the data lives, for humans (for example {@code s3://bucket/prefix} or a directory). Must
	 * never contain a secret.
	 * @return the location
	 */
	String location();

	/**
	 * What the backend supports.
	 * @return the capabilities, constant for the backend's lifetime
	 */
	Capabilities capabilities();

	/**
	 * The factory the backend allocates read buffers with, and that callers may use for write content.
	 * @return the buffer factory
	 */
	DataBufferFactory bufferFactory();

	/**
	 * Streams an object's bytes, honouring the range and conditions in the options. A range that ends
	 * past the object's end is cut at the end; one that starts at or past the end of a non-empty object
	 * fails with {@link ErrorKind#RANGE_NOT_SATISFIABLE}. Reading starts on subscription, proceeds as
	 * the subscriber requests, and stops when it cancels.
	 * @param path the object's path
	 * @param options the read options; the length is never 0
	 * @return the object's bytes; the subscriber releases each buffer
	 */
	Flux<DataBuffer> read(String path, ReadOptions options);

	/**
	 * Writes an object from the given content, atomically: readers see the old object or the whole
	 * new one, and a write that fails or is cancelled leaves no trace. The backend consumes and
	 * releases every buffer of {@code content}.
	 * @param path the object's path
	 * @param content the bytes; subscribed to at most once
	 * @param options the write options
	 * @return the new object's metadata
	 */
	Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options);

	/**
	 * Reads an object's metadata.
	 * @param path the object's path
	 * @return the metadata, or an error of kind {@link ErrorKind#NOT_FOUND}
	 */
	Mono<ObjectMetadata> stat(String path);

	/**
	 * Deletes an object. Deleting a missing object succeeds.
	 * @param path the object's path
	 * @return completes when the object is gone
	 */
	Mono<Void> delete(String path);

	/**
	 * Deletes every object whose path the publisher emits; missing objects are no error. The default
	 * deletes them one by one, a few at a time; backends with a batch API override it.
	 * @param paths normalised object paths
	 * @return completes when every object is gone
	 */
	default Mono<Void> deleteAll(Flux<String> paths) {
		return paths.flatMap(this::delete, 8).then();
	}

	/**
	 * Lists the entries whose path starts with {@code prefix}, in {@link PathOrder}, lazily. In a
	 * non-recursive listing everything below the next {@code /} after the prefix is folded into one
	 * directory entry ending in {@code /}. A prefix with nothing under it gives an empty stream.
	 * @param prefix the prefix, possibly empty
	 * @param options the list options; a backend may use the limit to size its pages
	 * @return the entries
	 */
	Flux<ObjectEntry> list(String prefix, ListOptions options);

	/**
	 * Copies an object, overwriting the target. A missing source fails with {@link ErrorKind#NOT_FOUND}.
	 * @param source the source path
	 * @param target the target path, different from the source
	 * @return completes when the copy is in place
	 */
	Mono<Void> copy(String source, String target);

	/**
	 * Moves an object, overwriting the target. A missing source fails with {@link ErrorKind#NOT_FOUND}.
	 * @param source the source path
	 * @param target the target path, different from the source
	 * @return completes when the object is at its new path
	 */
	Mono<Void> rename(String source, String target);

	/**
	 * A URL that lets anyone holding it read the object until it expires (requires
	 * {@link Capabilities#presignRead()}).
	 * @param path the object's path
	 * @param expiresIn how long the URL stays valid
	 * @return the URL
	 */
	default Mono<URI> presignRead(String path, Duration expiresIn) {
		return Mono.error(new StorageException(ErrorKind.UNSUPPORTED, scheme() + " does not support presign"));
	}

	/**
	 * A URL that lets anyone holding it write the object with an HTTP {@code PUT} until it expires
	 * (requires {@link Capabilities#presignWrite()}).
	 * @param path the object's path
	 * @param expiresIn how long the URL stays valid
	 * @return the URL
	 */
	default Mono<URI> presignWrite(String path, Duration expiresIn) {
		return Mono.error(new StorageException(ErrorKind.UNSUPPORTED, scheme() + " does not support presign"));
	}

	/**
	 * The local file that holds the object, for backends that keep objects in files, so that callers
	 * can send it without copying (zero-copy). The file may not exist. Blocking, but cheap.
	 * @param path the object's path
	 * @return the file, or {@code null} if the backend does not keep objects in local files
	 */
	default @Nullable Path localFile(String path) {
		return null;
	}

	/**
	 * Releases what the backend holds (clients, connection pools). Does not delete any data.
	 */
	@Override
	default void close() {
	}

}
