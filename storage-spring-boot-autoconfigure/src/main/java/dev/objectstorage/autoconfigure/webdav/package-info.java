/**
 * Auto-configuration of the {@code webdav} backend (needs storage-webdav): its {@code storage.webdav.*}
 * properties and its backend factory.
 */
@NullMarked
package dev.objectstorage.autoconfigure.webdav;

import org.jspecify.annotations.NullMarked;
