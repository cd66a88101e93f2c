/**
 * Actuator support for object storage: the {@code storage} endpoint and health contributor.
 */
@NullMarked
package dev.objectstorage.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
