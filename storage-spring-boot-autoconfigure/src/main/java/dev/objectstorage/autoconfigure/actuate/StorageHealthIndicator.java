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
 * Health of one storage: a cheap probe (a {@code stat} of an object that need not exist) within a
 * timeout. UP when the service answers (found or not found); DOWN, with the error kind, when it
 * refuses (wrong credentials), fails or does not answer in time.
 */
public class StorageHealthIndicator extends AbstractReactiveHealthIndicator {

	static final String PROBE_PATH = ".storage-health-probe";

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
		return this.storage.exists(PROBE_PATH)
			.timeout(this.timeout)
			.map((exists) -> builder.up().build())
			.onErrorResume((ex) -> {
				ErrorKind kind = (ex instanceof StorageException se) ? se.kind()
						: (ex instanceof TimeoutException) ? ErrorKind.TIMEOUT : ErrorKind.UNEXPECTED;
				String message = (ex instanceof TimeoutException) ? "no answer within " + this.timeout
						: String.valueOf(ex.getMessage());
				return Mono.just(builder.down().withDetail("error", kind).withDetail("message", message).build());
			});
	}

}
