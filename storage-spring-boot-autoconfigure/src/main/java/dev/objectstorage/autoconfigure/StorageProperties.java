package dev.objectstorage.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of object storage. Either one storage, named {@code default}, under
 * {@code storage.*}:
 * <pre>
 * storage:
 *   type: fs
 *   fs:
 *     root: ./data
 * </pre>
 * or several named ones under {@code storage.instances.<name>.*}, one of them primary. Each storage
 * becomes an {@link dev.objectstorage.ObjectStorage} bean that can be injected with
 * {@code @Qualifier("<name>")}; the primary one without a qualifier.
 */
@ConfigurationProperties(StorageProperties.PREFIX)
public class StorageProperties extends StorageInstanceProperties {

	/** The prefix of these properties. */
	public static final String PREFIX = "storage";

	/** The name of the single storage configured under {@code storage.*}. */
	public static final String DEFAULT_NAME = "default";

	/**
	 * Name of the storage to inject where no qualifier is given. Defaults to 'default' when
	 * 'storage.type' is set, or to the only named storage.
	 */
	private @Nullable String primary;

	/**
	 * Named storages, each with its own type, settings and layers.
	 */
	private final Map<String, StorageInstanceProperties> instances = new LinkedHashMap<>();

	private final Web web = new Web();

	/**
	 * Whether a write without a content type gets one guessed from the path's extension (for
	 * example 'image/png' for 'a.png'), on every storage whose backend stores content types.
	 */
	private boolean guessContentType = true;

	public @Nullable String getPrimary() {
		return this.primary;
	}

	public void setPrimary(@Nullable String primary) {
		this.primary = primary;
	}

	public Map<String, StorageInstanceProperties> getInstances() {
		return this.instances;
	}

	public boolean isGuessContentType() {
		return this.guessContentType;
	}

	public void setGuessContentType(boolean guessContentType) {
		this.guessContentType = guessContentType;
	}

	public Web getWeb() {
		return this.web;
	}

	/**
	 * Web support.
	 */
	public static class Web {

		private final ProblemDetails problemDetails = new ProblemDetails();

		public ProblemDetails getProblemDetails() {
			return this.problemDetails;
		}

	}

	/**
	 * How storage errors reaching a web handler are answered.
	 */
	public static class ProblemDetails {

		/**
		 * Whether storage errors that reach a WebFlux or MVC controller become RFC 9457 problems
		 * (404 for a missing object, 412 for a failed condition, ...).
		 */
		private boolean enabled = true;

		/**
		 * Retry-After of the 503 answer to a storage that asked to slow down (whole seconds).
		 */
		private Duration retryAfter = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

	}

}
