/**
 * The backend service provider interface: {@link dev.objectstorage.spi.StorageBackend}, one
 * implementation per storage service, and helpers that backends share.
 *
 * <h2>Settings</h2>
 * Every backend takes its settings in one shape: an immutable {@code record} ({@code FsSettings},
 * {@code S3Settings}, {@code AzureBlobSettings}, {@code WebDavSettings}, {@code SftpSettings}) with
 * a {@code builder()}, a {@code toBuilder()} to change some values of existing settings, and a
 * compact constructor that validates. Records with a builder rather than builders alone: the record
 * gives value semantics ({@code equals}, {@code hashCode}, a {@code toString} that the records
 * override to mask secrets) and one accessor per setting, named as the setting, which is the name
 * that errors report and that Spring Boot's properties spell in kebab-case; the builder gives named,
 * optional values with defaults, so a new setting does not break callers (as a constructor with a
 * dozen positional arguments, or a {@code with...} method per setting, would not). Validation lives
 * in the compact constructor, so settings made without the builder are checked the same.
 * <p>
 * An invalid value, or a missing required one, fails when the settings are built with an
 * {@link dev.objectstorage.InvalidSettingException} (an {@link IllegalArgumentException}) that
 * carries the setting's Java name as data ({@code setting()}), so that a caller maps it to its own
 * name for it without parsing the message. Misuse of a builder that is not about one value (building
 * an {@code ObjectStorage} without a backend) is an {@link IllegalStateException}. What a backend
 * only finds out when it connects or operates (a bucket that does not exist, a root directory that
 * is gone, refused credentials, an unknown host key) stays a
 * {@link dev.objectstorage.StorageException} of kind
 * {@link dev.objectstorage.ErrorKind#CONFIG_INVALID}.
 */
@NullMarked
package dev.objectstorage.spi;

import org.jspecify.annotations.NullMarked;
