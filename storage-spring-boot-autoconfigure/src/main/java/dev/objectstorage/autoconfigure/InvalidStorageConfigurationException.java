package dev.objectstorage.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A storage is configured wrongly. Says which property is wrong and how to fix it; the
 * {@link StorageConfigurationFailureAnalyzer} turns it into Spring Boot's startup failure report.
 */
public class InvalidStorageConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String action;

	/**
	 * @param property the full name of the wrong property, for example {@code storage.s3.bucket}
	 * @param problem what is wrong
	 * @param action how to fix it
	 * @param cause the underlying error, if any
	 */
	public InvalidStorageConfigurationException(String property, String problem, String action,
			@Nullable Throwable cause) {
		super(problem, cause);
		this.property = property;
		this.action = action;
	}

	/**
	 * The full name of the wrong property.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * How to fix the configuration.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
