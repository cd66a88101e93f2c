/**
 * The backend service provider interface: {@link dev.objectstorage.spi.StorageBackend}, one
 * implementation per storage service, and helpers that backends share.
 */
@NullMarked
package dev.objectstorage.spi;

import org.jspecify.annotations.NullMarked;
