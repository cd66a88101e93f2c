package dev.objectstorage.autoconfigure.webdav;


import dev.objectstorage.autoconfigure.BackendSettingsFailuresAccess;
import dev.objectstorage.autoconfigure.StorageBackendFactory;
import dev.objectstorage.autoconfigure.StorageDefinition;
import dev.objectstorage.spi.StorageBackend;
import dev.objectstorage.webdav.WebDavBackend;
import dev.objectstorage.webdav.WebDavSettings;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Creates {@code webdav} backends from {@code storage.webdav.*}.
 */
class WebDavStorageBackendFactory implements StorageBackendFactory {

	@Override
	public String type() {
		return "webdav";
	}

	@Override
	public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
		return new WebDavBackend(settings(storage), bufferFactory);
	}

	WebDavSettings settings(StorageDefinition storage) {
		WebDavStorageProperties webdav = storage.bind("webdav", WebDavStorageProperties.class);
		String baseUrl = (webdav.getBaseUrl() != null) ? webdav.getBaseUrl().toString() : null;
		BackendSettingsFailuresAccess.require(storage, "webdav.base-url", baseUrl, "base URL");
		return BackendSettingsFailuresAccess.build(storage, "webdav", () -> WebDavSettings.builder(baseUrl)
			.root(webdav.getRoot())
			.credentials(blankToNull(webdav.getUsername()), blankToNull(webdav.getPassword()))
			.maxConnections(webdav.getMaxConnections())
			.connectTimeout(webdav.getConnectTimeout())
			.responseTimeout(webdav.getResponseTimeout())
			.lockTimeout(webdav.getLockTimeout())
			.tempMaxAge(webdav.getTempMaxAge())
			.metadata((webdav.getMetadata() != null)
					? WebDavSettings.Metadata.valueOf(webdav.getMetadata().name()) : null)
			.escapeLeadingDots(webdav.isEscapeLeadingDots())
			.atomicPut(webdav.isAtomicPut())
			.build());
	}

	private static @org.jspecify.annotations.Nullable String blankToNull(@org.jspecify.annotations.Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
