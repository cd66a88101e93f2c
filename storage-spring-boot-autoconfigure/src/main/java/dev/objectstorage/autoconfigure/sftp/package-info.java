/**
 * Auto-configuration of the {@code sftp} backend (needs storage-sftp): its {@code storage.sftp.*} properties
 * and its backend factory.
 */
@NullMarked
package dev.objectstorage.autoconfigure.sftp;

import org.jspecify.annotations.NullMarked;
