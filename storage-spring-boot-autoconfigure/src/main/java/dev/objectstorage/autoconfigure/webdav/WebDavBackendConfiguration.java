package dev.objectstorage.autoconfigure.webdav;

import dev.objectstorage.autoconfigure.StorageBackendType;
import dev.objectstorage.autoconfigure.StorageBackendTypes;
import dev.objectstorage.webdav.WebDavBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code webdav} type: a collection on a WebDAV server. Declares its
 * {@link WebDavStorageBackendFactory} bean when storage-webdav is on the class path; registered in
 * {@link StorageBackendTypes#ALL}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(WebDavBackend.class)
public final class WebDavBackendConfiguration {

	/** The {@code webdav} type. */
	public static final StorageBackendType TYPE = new StorageBackendType("webdav", "WebDAV",
			"A WebDAV server (storage.webdav.*); needs storage-webdav.", "storage-webdav", "base-url",
			WebDavStorageProperties.class, WebDavBackendConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	WebDavStorageBackendFactory webDavStorageBackendFactory() {
		return new WebDavStorageBackendFactory();
	}

}
