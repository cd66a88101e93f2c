/**
 * Web support for object storage: {@link dev.objectstorage.StorageException}s that reach a web
 * handler of a WebFlux or Servlet MVC application become RFC 9457 problems.
 */
@NullMarked
package dev.objectstorage.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
