package dev.objectstorage.webdav;

import java.time.Duration;

import dev.objectstorage.Capabilities;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import reactor.core.scheduler.Schedulers;

/**
 * What a {@link WebDavBackend} can do: everything, but metadata only where the server stores dead
 * properties, which is probed once, when the backend is built, for {@link WebDavSettings.Metadata#AUTO}.
 */
final class WebDavCapabilities {

	private static final Capabilities WITH_METADATA = Capabilities.full().build();

	private static final Capabilities WITHOUT_METADATA = Capabilities.full()
		.writeWithContentType(false)
		.writeWithUserMetadata(false)
		.writeWithCacheControl(false)
		.writeWithContentDisposition(false)
		.build();

	private WebDavCapabilities() {
	}

	/**
	 * The capabilities of a backend.
	 * @param properties whether the server stores dead properties
	 * @return the capabilities
	 */
	static Capabilities of(boolean properties) {
		return properties ? WITH_METADATA : WITHOUT_METADATA;
	}

	/**
	 * Whether the server stores dead properties: as set, or found out with one blocking exchange
	 * (bounded by the timeouts) for {@link WebDavSettings.Metadata#AUTO}. Capabilities are read once,
	 * when the storage is built on the backend, so they must be known here.
	 */
	static boolean storesProperties(WebDavSettings settings, DavClient client) {
		switch (settings.metadata()) {
			case ENABLED:
				return true;
			case DISABLED:
				return false;
			default:
				break;
		}
		if (Schedulers.isInNonBlockingThread()) {
			throw new StorageException(ErrorKind.CONFIG_INVALID, "A WebDAV backend with metadata AUTO asks the server"
					+ " whether it stores dead properties when it is built, which blocks: build it off the event loop, or"
					+ " set storage.webdav.metadata (WebDavSettings.metadata) to ENABLED or DISABLED");
		}
		Duration bound = settings.connectTimeout().plus(settings.responseTimeout().multipliedBy(3));
		try {
			return Boolean.TRUE.equals(client.storesProperties().block(bound));
		}
		catch (RuntimeException ex) {
			// unreachable, too slow, or refused credentials: the backend is built anyway (the operations
			// report the failure) as if ENABLED, which never loses metadata silently either: writes with
			// metadata check what the server stored, writes without it go on without dead properties
			return true;
		}
	}

}
