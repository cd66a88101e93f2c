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
 */
public final class WriteOptions {

	private static final WriteOptions DEFAULTS = new WriteOptions(null, -1, Map.of(), null, null, false, null);

	private final @Nullable String contentType;

	private final long contentLength;

	private final Map<String, String> userMetadata;

	private final @Nullable String cacheControl;

	private final @Nullable String contentDisposition;

	private final boolean ifNotExists;

	private final @Nullable String ifMatch;

	private WriteOptions(@Nullable String contentType, long contentLength, Map<String, String> userMetadata, @Nullable String cacheControl, @Nullable String contentDisposition, boolean ifNotExists, @Nullable String ifMatch) {
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
		this.contentType = contentType;
		this.contentLength = contentLength;
		this.userMetadata = userMetadata;
		this.cacheControl = cacheControl;
		this.contentDisposition = contentDisposition;
		this.ifNotExists = ifNotExists;
		this.ifMatch = ifMatch;
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

	/**
	 * The content type to store, or {@code null}.
	 * @return this option's contentType
	 */
	public @Nullable String contentType() {
		return this.contentType;
	}

	/**
	 * The number of bytes the publisher will emit if known in advance, or {@code -1}. Enforced: content that ends before it, or runs past it, fails the write with {@link ErrorKind#INVALID_INPUT} and publishes nothing (so a cut-off upload is never stored as complete). Backends may use it to choose their upload strategy.
	 * @return this option's contentLength
	 */
	public long contentLength() {
		return this.contentLength;
	}

	/**
	 * User metadata to store with the object.
	 * @return this option's userMetadata
	 */
	public Map<String, String> userMetadata() {
		return this.userMetadata;
	}

	/**
	 * A {@code Cache-Control} value to store, or {@code null}.
	 * @return this option's cacheControl
	 */
	public @Nullable String cacheControl() {
		return this.cacheControl;
	}

	/**
	 * A {@code Content-Disposition} value to store, or {@code null}.
	 * @return this option's contentDisposition
	 */
	public @Nullable String contentDisposition() {
		return this.contentDisposition;
	}

	/**
	 * Only write if no object exists at the path (else {@code CONDITION_NOT_MATCH}).
	 * @return this option's ifNotExists
	 */
	public boolean ifNotExists() {
		return this.ifNotExists;
	}

	/**
	 * Only write if the existing object has this entity tag (else {@code CONDITION_NOT_MATCH}).
	 * @return this option's ifMatch
	 */
	public @Nullable String ifMatch() {
		return this.ifMatch;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof WriteOptions that && java.util.Objects.equals(this.contentType, that.contentType) && this.contentLength == that.contentLength && java.util.Objects.equals(this.userMetadata, that.userMetadata) && java.util.Objects.equals(this.cacheControl, that.cacheControl) && java.util.Objects.equals(this.contentDisposition, that.contentDisposition) && this.ifNotExists == that.ifNotExists && java.util.Objects.equals(this.ifMatch, that.ifMatch));
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.contentType, this.contentLength, this.userMetadata, this.cacheControl, this.contentDisposition, this.ifNotExists, this.ifMatch);
	}

	@Override
	public String toString() {
		return "WriteOptions[contentType=" + this.contentType + ", contentLength=" + this.contentLength + ", userMetadata=" + this.userMetadata + ", cacheControl=" + this.cacheControl + ", contentDisposition=" + this.contentDisposition + ", ifNotExists=" + this.ifNotExists + ", ifMatch=" + this.ifMatch + "]";
	}

}
