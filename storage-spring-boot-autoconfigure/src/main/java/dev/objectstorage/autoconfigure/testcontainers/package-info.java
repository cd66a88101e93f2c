/**
 * Testcontainers service connections for object storage.
 */
@NullMarked
package dev.objectstorage.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
