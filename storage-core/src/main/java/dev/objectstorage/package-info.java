/**
 * The user API: {@link dev.objectstorage.ObjectStorage}, its options and value types, and
 * {@link dev.objectstorage.StorageException}.
 */
@NullMarked
package dev.objectstorage;

import org.jspecify.annotations.NullMarked;
