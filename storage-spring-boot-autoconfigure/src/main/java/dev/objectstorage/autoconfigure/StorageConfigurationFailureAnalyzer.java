package dev.objectstorage.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a wrongly configured storage at startup: which property is wrong, and how to fix it.
 */
class StorageConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidStorageConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidStorageConfigurationException cause) {
		String description = "Object storage is not configured correctly.\n\n    Property: " + cause.getProperty()
				+ "\n    Problem:  " + cause.getMessage();
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
