/**
 * The S3 backend: AWS S3 and S3-compatible services on the AWS SDK for Java v2 async client.
 */
@NullMarked
package dev.objectstorage.s3;

import org.jspecify.annotations.NullMarked;
