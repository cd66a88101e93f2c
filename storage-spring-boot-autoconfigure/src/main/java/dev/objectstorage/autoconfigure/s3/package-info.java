/**
 * Auto-configuration of the {@code s3} backend (needs storage-s3): its {@code storage.s3.*} properties, its
 * backend factory, {@link dev.objectstorage.autoconfigure.s3.S3ConnectionDetails} and
 * {@link dev.objectstorage.autoconfigure.s3.S3ClientCustomizer}.
 */
@NullMarked
package dev.objectstorage.autoconfigure.s3;

import org.jspecify.annotations.NullMarked;
