/**
 * Auto-configuration of the {@code memory} backend (in storage-core): its backend factory.
 */
@NullMarked
package dev.objectstorage.autoconfigure.memory;

import org.jspecify.annotations.NullMarked;
