package dev.objectstorage.fs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import dev.objectstorage.WriteOptions;
import org.jspecify.annotations.Nullable;

/**
 * Keeps an object's content type, cache control, content disposition and user metadata in one
 * user extended attribute of its file ({@code user.objectstorage}), as {@link Properties} text. The
 * attribute is written on the temporary file before it is moved into place, so data and metadata
 * appear together, atomically, and move with the file on rename.
 */
final class FsMetadata {

	static final String ATTRIBUTE = "objectstorage";

	private static final String CONTENT_TYPE = "content-type";

	private static final String CACHE_CONTROL = "cache-control";

	private static final String CONTENT_DISPOSITION = "content-disposition";

	private static final String USER_PREFIX = "user.";

	private static final String TAG = "tag";

	static final Stored NONE = new Stored(null, null, null, Map.of(), null);

	private FsMetadata() {
	}

	/** What is stored for one object. */
	record Stored(@Nullable String contentType, @Nullable String cacheControl, @Nullable String contentDisposition,
			Map<String, String> userMetadata, @Nullable String tag) {

		boolean isEmpty() {
			return this.contentType == null && this.cacheControl == null && this.contentDisposition == null
					&& this.userMetadata.isEmpty() && this.tag == null;
		}

		Stored withTag(String tag) {
			return new Stored(this.contentType, this.cacheControl, this.contentDisposition, this.userMetadata, tag);
		}

	}

	/**
	 * What to store for a write. The tag is a random value per write that goes into the entity tag,
	 * so that two versions never share one even when size, modification time (whose granularity is
	 * coarse) and a reused inode number coincide.
	 */
	static Stored of(WriteOptions options, String tag) {
		return new Stored(options.contentType(), options.cacheControl(), options.contentDisposition(),
				options.userMetadata(), tag);
	}

	/**
	 * Whether the filesystem of the given directory keeps user extended attributes.
	 */
	static boolean isSupported(Path directory) {
		try {
			Path probe = Files.createTempFile(directory, ".objectstorage-probe-", ".tmp");
			try {
				UserDefinedFileAttributeView view = Files.getFileAttributeView(probe,
						UserDefinedFileAttributeView.class);
				if (view == null) {
					return false;
				}
				view.write(ATTRIBUTE, ByteBuffer.wrap(new byte[] { 1 }));
				return view.list().contains(ATTRIBUTE);
			}
			finally {
				Files.deleteIfExists(probe);
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	static void write(Path file, Stored stored) throws IOException {
		if (stored.isEmpty()) {
			return;
		}
		Properties properties = new Properties();
		putIfNotNull(properties, CONTENT_TYPE, stored.contentType());
		putIfNotNull(properties, CACHE_CONTROL, stored.cacheControl());
		putIfNotNull(properties, CONTENT_DISPOSITION, stored.contentDisposition());
		putIfNotNull(properties, TAG, stored.tag());
		stored.userMetadata().forEach((key, value) -> properties.setProperty(USER_PREFIX + key, value));
		StringWriter text = new StringWriter();
		properties.store(text, null);
		byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
		UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
		view.write(ATTRIBUTE, ByteBuffer.wrap(bytes));
	}

	/** Per thread: reads are synchronous, and an attribute is parsed before the next read. */
	private static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal
		.withInitial(() -> ByteBuffer.allocateDirect(64 * 1024));

	static Stored read(Path file) throws IOException {
		UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
		if (view == null) {
			return NONE;
		}
		ByteBuffer buffer = READ_BUFFER.get().clear();
		try {
			// one system call (Linux caps an attribute at 64 KiB, the buffer's size), not size() then read()
			view.read(ATTRIBUTE, buffer);
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (FileSystemException ex) {
			return NONE; // ENODATA: the file has no such attribute (written by another program)
		}
		buffer.flip();
		Properties properties = new Properties();
		try {
			properties.load(new StringReader(StandardCharsets.UTF_8.decode(buffer).toString()));
		}
		catch (IllegalArgumentException ex) {
			throw new UncheckedIOException(new IOException("Corrupt metadata attribute on " + file, ex));
		}
		Map<String, String> user = new LinkedHashMap<>();
		for (String name : properties.stringPropertyNames()) {
			if (name.startsWith(USER_PREFIX)) {
				user.put(name.substring(USER_PREFIX.length()), properties.getProperty(name));
			}
		}
		return new Stored(properties.getProperty(CONTENT_TYPE), properties.getProperty(CACHE_CONTROL),
				properties.getProperty(CONTENT_DISPOSITION), user, properties.getProperty(TAG));
	}

	private static void putIfNotNull(Properties properties, String key, @Nullable String value) {
		if (value != null) {
			properties.setProperty(key, value);
		}
	}

}
