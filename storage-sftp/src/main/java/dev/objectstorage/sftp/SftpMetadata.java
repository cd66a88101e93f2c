package dev.objectstorage.sftp;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.WriteOptions;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.jspecify.annotations.Nullable;

/**
 * The metadata SFTP cannot keep, kept in a hidden "sidecar" file next to each object, and the
 * entity tags derived from it.
 * <p>
 * SFTP (version 3, all that OpenSSH speaks) has no entity tags, no extended attributes and
 * modification times in whole seconds, so size and time alone collide when an object is rewritten
 * with the same size within a second. Each write therefore stores, in {@code .os-meta.<name>}:
 * a random tag, the size and modification time of the data file it belongs to, the content type,
 * cache control, content disposition and user metadata ({@link Properties} text). The entity tag is
 * {@code "<size>-<mtime>-<tag>"}.
 * <p>
 * The sidecar and the data file are published by two renames, so a reader racing a writer may
 * see one without the other. The sidecar is trusted only when the size and modification time it
 * records are those of the data file; writes make sure that two consecutive versions of an object
 * differ in one of them (by moving the new version's modification time a second on when needed), so
 * a mismatched pair is always detected. Without a matching sidecar (a file put there by another
 * program, or that moment of a race) the tag is {@code "<size>-<mtime>"} and there is no metadata:
 * conditional requests then fail rather than match the wrong version.
 */
final class SftpMetadata {

	/** The prefix of sidecar files. */
	static final String PREFIX = ".os-meta.";

	/** The prefix of temporary files of writes in progress. */
	static final String TEMP_PREFIX = ".os-tmp-";

	private static final int MAX_NAME_BYTES = 255;

	private static final String TAG = "tag";

	private static final String SIZE = "size";

	private static final String MTIME = "mtime";

	private static final String CONTENT_TYPE = "content-type";

	private static final String CACHE_CONTROL = "cache-control";

	private static final String CONTENT_DISPOSITION = "content-disposition";

	private static final String USER_PREFIX = "user.";

	private SftpMetadata() {
	}

	/** What one sidecar holds. */
	record Stored(String tag, long size, long mtime, @Nullable String contentType, @Nullable String cacheControl,
			@Nullable String contentDisposition, Map<String, String> userMetadata) {

		/** Whether this sidecar describes the data file with these attributes. */
		boolean describes(Attributes attributes) {
			return this.size == attributes.getSize() && this.mtime == RemoteFiles.seconds(attributes);
		}

		/** The same metadata for another version of the data. */
		Stored forVersion(String tag, long size, long mtime) {
			return new Stored(tag, size, mtime, this.contentType, this.cacheControl, this.contentDisposition,
					this.userMetadata);
		}

	}

	/** What a write stores, before the data's size and time are known. */
	static Stored of(WriteOptions options) {
		return new Stored(newTag(), -1, -1, options.contentType(), options.cacheControl(),
				options.contentDisposition(), options.userMetadata());
	}

	/** A new random tag (16 hex digits). */
	static String newTag() {
		return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
	}

	/** A new name for a temporary file: {@code .os-tmp-} and 16 lower-case hex digits. */
	static String newTempName() {
		return TEMP_PREFIX + newTag();
	}

	/** Whether a file name is one that {@link #newTempName()} makes (no object can have it). */
	static boolean isTempName(String name) {
		if (name.length() != TEMP_PREFIX.length() + 16 || !name.startsWith(TEMP_PREFIX)) {
			return false;
		}
		for (int i = TEMP_PREFIX.length(); i < name.length(); i++) {
			char c = name.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

	/** Whether a file name is reserved by this backend (temporary and sidecar files). */
	static boolean isReserved(String name) {
		return name.startsWith(PREFIX) || name.startsWith(TEMP_PREFIX);
	}

	/**
	 * The sidecar file of an object file: {@code .os-meta.<name>} in the same directory, or, where
	 * that name would be longer than a file name may be, {@code .os-meta.~<hash of the name>}.
	 */
	static String sidecarOf(String file) {
		String directory = RemoteFiles.parent(file);
		String name = RemoteFiles.name(file);
		String sidecar = PREFIX + name;
		if (sidecar.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
			sidecar = PREFIX + "~" + sha256(name).substring(0, 40);
		}
		return (directory.equals("/") ? "/" : directory + "/") + sidecar;
	}

	static byte[] format(Stored stored) {
		Properties properties = new Properties();
		properties.setProperty(TAG, stored.tag());
		properties.setProperty(SIZE, Long.toString(stored.size()));
		properties.setProperty(MTIME, Long.toString(stored.mtime()));
		putIfNotNull(properties, CONTENT_TYPE, stored.contentType());
		putIfNotNull(properties, CACHE_CONTROL, stored.cacheControl());
		putIfNotNull(properties, CONTENT_DISPOSITION, stored.contentDisposition());
		stored.userMetadata().forEach((key, value) -> properties.setProperty(USER_PREFIX + key, value));
		StringWriter text = new StringWriter();
		try {
			properties.store(text, null);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex); // a StringWriter does not fail
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Parses a sidecar; a damaged one counts as none. */
	static @Nullable Stored parse(byte @Nullable [] bytes) {
		if (bytes == null) {
			return null;
		}
		Properties properties = new Properties();
		try {
			properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
			String tag = properties.getProperty(TAG);
			String size = properties.getProperty(SIZE);
			String mtime = properties.getProperty(MTIME);
			if (tag == null || size == null || mtime == null) {
				return null;
			}
			Map<String, String> user = new LinkedHashMap<>();
			for (String name : properties.stringPropertyNames()) {
				if (name.startsWith(USER_PREFIX)) {
					user.put(name.substring(USER_PREFIX.length()), properties.getProperty(name));
				}
			}
			return new Stored(tag, Long.parseLong(size), Long.parseLong(mtime), properties.getProperty(CONTENT_TYPE),
					properties.getProperty(CACHE_CONTROL), properties.getProperty(CONTENT_DISPOSITION), user);
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The metadata of an object file.
	 * @param path the object's path
	 * @param attributes the data file's attributes
	 * @param stored its sidecar, or {@code null}; ignored unless it describes these attributes
	 * @return the metadata
	 */
	static ObjectMetadata metadata(String path, Attributes attributes, @Nullable Stored stored) {
		long size = attributes.getSize();
		long mtime = RemoteFiles.seconds(attributes);
		Stored s = (stored != null && stored.describes(attributes)) ? stored : null;
		String etag = etag(size, mtime, (s != null) ? s.tag() : null);
		return ObjectMetadata.builder(path, size, etag)
			.lastModified(Instant.ofEpochSecond(mtime))
			.contentType((s != null) ? s.contentType() : null)
			.userMetadata((s != null) ? s.userMetadata() : Map.of())
			.cacheControl((s != null) ? s.cacheControl() : null)
			.contentDisposition((s != null) ? s.contentDisposition() : null)
			.build();
	}

	static String etag(long size, long mtime, @Nullable String tag) {
		return "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtime) + ((tag != null) ? "-" + tag : "") + "\"";
	}

	private static void putIfNotNull(Properties properties, String key, @Nullable String value) {
		if (value != null) {
			properties.setProperty(key, value);
		}
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
