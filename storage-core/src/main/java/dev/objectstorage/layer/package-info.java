/**
 * Layers: decorators of {@link dev.objectstorage.spi.StorageBackend} that add retries, timeouts,
 * concurrency limits and metrics to any backend.
 */
@NullMarked
package dev.objectstorage.layer;

import org.jspecify.annotations.NullMarked;
