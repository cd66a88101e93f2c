package dev.objectstorage.layer;

import dev.objectstorage.spi.StorageBackend;

/**
 * Wraps a {@link StorageBackend} in another that adds a concern (metrics, retry, timeout,
 * concurrency limit, logging) without knowing which backend it wraps. Layers compose: the first
 * layer given to {@link dev.objectstorage.ObjectStorage.Builder#layer(Layer)} is the outermost and
 * sees every call first. Put timeouts inside retries, so that each attempt has its own deadline.
 */
@FunctionalInterface
public interface Layer {

	/**
	 * Wraps a backend.
	 * @param backend the backend (or inner layer) to wrap
	 * @return the wrapped backend
	 */
	StorageBackend apply(StorageBackend backend);

}
