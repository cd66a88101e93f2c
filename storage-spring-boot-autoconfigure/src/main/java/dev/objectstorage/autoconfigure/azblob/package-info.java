/**
 * Auto-configuration of the {@code azblob} backend (needs storage-azblob): its {@code storage.azblob.*}
 * properties, its backend factory,
 * {@link dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails} and
 * {@link dev.objectstorage.autoconfigure.azblob.AzureBlobClientCustomizer}.
 */
@NullMarked
package dev.objectstorage.autoconfigure.azblob;

import org.jspecify.annotations.NullMarked;
