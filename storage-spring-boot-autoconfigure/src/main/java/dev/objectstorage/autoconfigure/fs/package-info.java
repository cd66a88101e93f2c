/**
 * Auto-configuration of the {@code fs} backend (a directory on the local filesystem, in storage-core): its
 * {@code storage.fs.*} properties and its backend factory.
 */
@NullMarked
package dev.objectstorage.autoconfigure.fs;

import org.jspecify.annotations.NullMarked;
