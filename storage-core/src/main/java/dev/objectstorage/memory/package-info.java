/**
 * The in-memory backend: copy-on-write, thread-safe, for tests and scratch data.
 */
@NullMarked
package dev.objectstorage.memory;

import org.jspecify.annotations.NullMarked;
