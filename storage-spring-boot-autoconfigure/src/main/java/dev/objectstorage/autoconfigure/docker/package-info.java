/**
 * Spring Boot Docker Compose service connections for object storage: MinIO and LocalStack (S3),
 * Azurite (Azure Blob Storage).
 */
@NullMarked
package dev.objectstorage.autoconfigure.docker;

import org.jspecify.annotations.NullMarked;
