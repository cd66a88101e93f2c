/**
 * The Azure Blob Storage backend: block blobs in one container, on the Azure SDK's reactive
 * (async) blob client.
 */
@NullMarked
package dev.objectstorage.azblob;

import org.jspecify.annotations.NullMarked;
