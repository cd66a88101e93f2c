/**
 * The local filesystem backend: objects are files under a root directory, written atomically.
 */
@NullMarked
package dev.objectstorage.fs;

import org.jspecify.annotations.NullMarked;
