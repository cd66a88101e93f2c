/**
 * Spring Boot auto-configuration of object storage: properties, one
 * {@link dev.objectstorage.ObjectStorage} bean per configured storage, layers, failure analysis,
 * {@code storage://} resources.
 */
@NullMarked
package dev.objectstorage.autoconfigure;

import org.jspecify.annotations.NullMarked;
