package dev.objectstorage;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Options of a write. Immutable; the {@code with...} methods return copies. Invalid values fail at
 * once with a {@link StorageException} of kind {@link ErrorKind#INVALID_INPUT}.
 * <p>
 * User metadata keys are case-insensitive and stored in lower case; they may contain letters,
 * digits, {@code -}, {@code _} and {@code .}. Values must be printable US-ASCII, the only set every
 * service round-trips unchanged.
 *
 * @param contentType the content type to store, or {@code null}
 * @param contentLength the number of bytes the publisher will emit if known in advance, or {@code -1}.
 * Enforced: content that ends before it, or runs past it, fails the write with
 * {@link ErrorKind#INVALID_INPUT} and publishes nothing (so a cut-off upload is never stored as
 * complete). Backends may use it to choose their upload strategy
 * @param userMetadata user metadata to store with the object
 * @param cacheControl a {@code Cache-Control} value to store, or {@code null}
 * @param contentDisposition a {@code Content-Disposition} value to store, or {@code null}
 * @param ifNotExists only write if no object exists at the path (else {@code CONDITION_NOT_MATCH})
 * @param ifMatch only write if the existing object has this entity tag (else {@code CONDITION_NOT_MATCH})
 */
public record WriteOptions(@Nullable String contentType, long contentLength, Map<String, String> userMetadata,
		@Nullable String cacheControl, @Nullable String contentDisposition, boolean ifNotExists,
		@Nullable String ifMatch) {

	private static final WriteOptions DEFAULTS = new WriteOptions(null, -1, Map.of(), null, null, false, null);

	public WriteOptions {
		if (contentLength < -1) {
			throw StorageException.invalidInput("contentLength must be -1 (unknown) or not negative, was "
					+ contentLength);
		}
		userMetadata = normaliseMetadata(userMetadata);
		checkHeaderValue("contentType", contentType);
		checkHeaderValue("cacheControl", cacheControl);
		checkHeaderValue("contentDisposition", contentDisposition);
		checkHeaderValue("ifMatch", ifMatch);
		if (ifNotExists && ifMatch != null) {
			throw StorageException.invalidInput("ifNotExists and ifMatch must not be combined");
		}
	}

	/**
	 * No metadata, no conditions, unknown length.
	 * @return the default options
	 */
	public static WriteOptions defaults() {
		return DEFAULTS;
	}

	public WriteOptions withContentType(@Nullable String contentType) {
		return new WriteOptions(contentType, this.contentLength, this.userMetadata, this.cacheControl,
				this.contentDisposition, this.ifNotExists, this.ifMatch);
	}

	public WriteOptions withContentLength(long contentLength) {
		return new WriteOptions(this.contentType, contentLength, this.userMetadata, this.cacheControl,
				this.contentDisposition, this.ifNotExists, this.ifMatch);
	}

	public WriteOptions withUserMetadata(Map<String, String> userMetadata) {
		if (userMetadata == null) {
			throw StorageException.invalidInput("userMetadata must not be null");
		}
		return new WriteOptions(this.contentType, this.contentLength, userMetadata, this.cacheControl,
				this.contentDisposition, this.ifNotExists, this.ifMatch);
	}

	public WriteOptions withCacheControl(@Nullable String cacheControl) {
		return new WriteOptions(this.contentType, this.contentLength, this.userMetadata, cacheControl,
				this.contentDisposition, this.ifNotExists, this.ifMatch);
	}

	public WriteOptions withContentDisposition(@Nullable String contentDisposition) {
		return new WriteOptions(this.contentType, this.contentLength, this.userMetadata, this.cacheControl,
				contentDisposition, this.ifNotExists, this.ifMatch);
	}

	public WriteOptions withIfNotExists(boolean ifNotExists) {
		return new WriteOptions(this.contentType, this.contentLength, this.userMetadata, this.cacheControl,
				this.contentDisposition, ifNotExists, this.ifMatch);
	}

	public WriteOptions withIfMatch(@Nullable String etag) {
		return new WriteOptions(this.contentType, this.contentLength, this.userMetadata, this.cacheControl,
				this.contentDisposition, this.ifNotExists, etag);
	}

	private static Map<String, String> normaliseMetadata(@Nullable Map<String, String> metadata) {
		if (metadata == null || metadata.isEmpty()) {
			return Map.of();
		}
		Map<String, String> result = new LinkedHashMap<>();
		metadata.forEach((key, value) -> {
			if (key == null || key.isEmpty()) {
				throw StorageException.invalidInput("userMetadata keys must not be empty");
			}
			for (int i = 0; i < key.length(); i++) {
				char c = key.charAt(i);
				if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
						|| c == '_' || c == '.')) {
					throw StorageException.invalidInput("userMetadata key '" + key
							+ "' may only contain letters, digits, '-', '_' and '.'");
				}
			}
			if (value == null) {
				throw StorageException.invalidInput("userMetadata value of '" + key + "' must not be null");
			}
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (c < 0x20 || c > 0x7e) {
					throw StorageException.invalidInput("userMetadata value of '" + key
							+ "' must be printable US-ASCII");
				}
			}
			if (result.put(key.toLowerCase(Locale.ROOT), value) != null) {
				throw StorageException.invalidInput("userMetadata key '" + key + "' is given twice (keys ignore case)");
			}
		});
		return Map.copyOf(result);
	}

	private static void checkHeaderValue(String name, @Nullable String value) {
		if (value == null) {
			return;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 && c != '\t' || c == 0x7f) {
				throw StorageException.invalidInput(name + " must not contain control characters");
			}
		}
	}

}
