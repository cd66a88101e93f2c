package dev.objectstorage.sftp;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.StripedLocks;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * What the parts of the sftp backend share (as the {@code core} of an OpenDAL service): the
 * settings, the buffer factory and the channel pool, borrowing a channel, the files of object
 * paths, the per-path locks, and the metadata of an object file.
 */
final class SftpCore {

	private static final StripedLocks LOCKS = new StripedLocks(64);

	private final SftpSettings settings;

	private final DataBufferFactory bufferFactory;

	private final SftpConnector connector;

	SftpCore(SftpSettings settings, DataBufferFactory bufferFactory, SftpConnector connector) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
		this.connector = Objects.requireNonNull(connector, "connector");
	}

	SftpSettings settings() {
		return this.settings;
	}

	DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	SftpConnector connector() {
		return this.connector;
	}

	/** Borrows a channel for the publisher that {@code use} returns, and gives it back when that ends. */
	<T> Mono<T> withLease(Function<Lease, Mono<T>> use) {
		return Mono.usingWhen(this.connector.acquire(), use, Lease::release, (lease, error) -> lease.release(),
				Lease::release);
	}

	/** Runs one blocking step with a borrowed channel. */
	<T> Mono<T> call(Operation operation, String path, LeaseFunction<T> work) {
		return withLease((lease) -> lease.call(() -> work.apply(lease)))
			.onErrorMap((ex) -> SftpErrors.map(ex, operation, path));
	}

	@FunctionalInterface
	interface LeaseFunction<T> {

		@Nullable T apply(Lease lease) throws Exception;

	}

	/** The absolute file of an object path; reserved names are refused. */
	static String file(Lease lease, String path) {
		checkNotReserved(path);
		String root = lease.channel().root();
		return root.equals("/") ? "/" + path : root + "/" + path;
	}

	private static void checkNotReserved(String path) {
		for (String segment : path.split("/")) {
			if (SftpMetadata.isReserved(segment)) {
				throw new StorageException(ErrorKind.INVALID_INPUT, "Names starting with '" + SftpMetadata.TEMP_PREFIX
						+ "' or '" + SftpMetadata.PREFIX + "' are reserved by the sftp backend: " + path);
			}
		}
	}

	static ReentrantLock lockFor(String file) {
		return LOCKS.forKey(file);
	}

	/** The metadata of an object file, with its sidecar if it has a matching one. */
	ObjectMetadata metadata(Lease lease, String path, String file, Attributes attributes) throws IOException {
		SftpMetadata.Stored stored = null;
		if (this.settings.metadata()) {
			stored = SftpMetadata.parse(RemoteFiles.readSmallFile(lease.sftp(), SftpMetadata.sidecarOf(file)));
		}
		return SftpMetadata.metadata(path, attributes, stored);
	}

}
