package dev.objectstorage.autoconfigure.actuate;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one storage: {@link ObjectStorage#check()}, the question that really answers "can this
 * storage be used" (S3 {@code HeadBucket}, the Azure container's properties, a WebDAV
 * {@code PROPFIND} of the root collection, an SFTP stat of the root, the fs root's permissions),
 * within {@code management.health.storage.timeout} (default {@value #DEFAULT_TIMEOUT_SECONDS} s).
 * The check goes around the storage's layers: one attempt, no retries, its own timeout, and it is
 * not counted in the operation metrics. DOWN with the error kind and a short reason when the
 * bucket, container or root is missing ({@code CONFIG_INVALID}), the credentials are refused
 * ({@code PERMISSION_DENIED}), the service fails or does not answer in time ({@code TIMEOUT}).
 */
public class StorageHealthIndicator extends AbstractReactiveHealthIndicator {

	static final long DEFAULT_TIMEOUT_SECONDS = 2;

	/** The default health timeout: below a typical Kubernetes probe timeout of a few seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);

	private final ObjectStorage storage;

	private final Duration timeout;

	public StorageHealthIndicator(ObjectStorage storage, Duration timeout) {
		super("Storage health check failed");
		this.storage = storage;
		this.timeout = timeout;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		builder.withDetail("scheme", this.storage.scheme()).withDetail("location", this.storage.location());
		return this.storage.check()
			.timeout(this.timeout)
			.then(Mono.fromSupplier(() -> builder.up().build()))
			.onErrorResume((ex) -> {
				ErrorKind kind = (ex instanceof StorageException se) ? se.kind()
						: (ex instanceof TimeoutException) ? ErrorKind.TIMEOUT : ErrorKind.UNEXPECTED;
				String message = (ex instanceof TimeoutException) ? "no answer within " + this.timeout
						: String.valueOf(ex.getMessage());
				return Mono.just(builder.down().withDetail("error", kind).withDetail("message", message).build());
			});
	}

}
