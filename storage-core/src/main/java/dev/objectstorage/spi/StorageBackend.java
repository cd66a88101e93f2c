package dev.objectstorage.spi;

import java.net.URI;
import java.time.Duration;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
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
 * content, also on error and cancellation; the receiver of an {@link ObjectContent} consumes or
 * releases it, and the subscriber of its body releases what it receives.
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
	 * Opens an object for reading, honouring the range and conditions in the options: one trip to the
	 * service that yields the metadata of the version it streams together with its bytes (see
	 * {@link ObjectContent} for who releases what). A range that ends past the object's end is cut at
	 * the end; one that starts at or past the end of a non-empty object fails with
	 * {@link ErrorKind#RANGE_NOT_SATISFIABLE}. The metadata must describe the version whose bytes the
	 * body carries: a backend takes it from the response or the open file it reads from, and checks
	 * what a server may claim without doing (that a ranged answer covers the range asked for, that a
	 * conditional answer is of the version asked for) rather than return bytes of another range or
	 * version. Opening starts on subscription; the body streams as its subscriber requests and stops
	 * when it cancels. A content the returned {@code Mono} drops (cancelled while it was emitted) is
	 * released through Reactor's discard hook.
	 * @param path the object's path
	 * @param options the read options; the length is never 0
	 * @return the content
	 */
	Mono<ObjectContent> open(String path, ReadOptions options);

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
	 * Answers "can this storage be used?": the bucket, container, collection or directory exists
	 * and the credentials are accepted. One request where the service allows, no retries; for health
	 * checks, so layers do not wrap it (it is neither retried, timed nor counted: the caller bounds
	 * it). The default stats an object that need not exist and takes "not found" as an answer.
	 * @return completes if the storage can be used; otherwise a {@link StorageException} saying why
	 */
	default Mono<Void> check() {
		return stat(".storage-health-probe").then()
			.onErrorResume((ex) -> ex instanceof StorageException se && se.kind() == ErrorKind.NOT_FOUND,
					(ex) -> Mono.empty());
	}

	/**
	 * Releases what the backend holds (clients, connection pools). Does not delete any data.
	 */
	@Override
	default void close() {
	}

}
