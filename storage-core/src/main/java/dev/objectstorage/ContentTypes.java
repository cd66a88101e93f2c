package dev.objectstorage;

import java.net.FileNameMap;
import java.net.URLConnection;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaTypeFactory;
import org.springframework.util.ClassUtils;

/**
 * Guesses the content type of an object from its path's extension: with Spring's
 * {@link MediaTypeFactory} (the {@code mime.types} list of spring-web) where spring-web is on the
 * class path, otherwise with the JDK's {@link URLConnection#getFileNameMap() file name map}.
 */
final class ContentTypes {

	private static final boolean MEDIA_TYPE_FACTORY_PRESENT = ClassUtils
		.isPresent("org.springframework.http.MediaTypeFactory", ContentTypes.class.getClassLoader());

	private ContentTypes() {
	}

	/**
	 * The content type of a path's last segment's extension.
	 * @param path a normalised object path
	 * @return the type, or {@code null} if the name has no extension or an unknown one
	 */
	static @Nullable String guess(String path) {
		String name = path.substring(path.lastIndexOf('/') + 1);
		int dot = name.lastIndexOf('.');
		if (dot <= 0 || dot == name.length() - 1) {
			return null; // no extension, or a dot file such as '.profile'
		}
		if (MEDIA_TYPE_FACTORY_PRESENT) {
			return SpringTypes.guess(name);
		}
		FileNameMap map = URLConnection.getFileNameMap();
		return map.getContentTypeFor(name);
	}

	/** Kept apart so that spring-web is loaded only where present. */
	private static final class SpringTypes {

		static @Nullable String guess(String name) {
			return MediaTypeFactory.getMediaType(name).map(Object::toString).orElse(null);
		}

	}

}
