package dev.objectstorage.sample;

import java.util.Set;

import org.springframework.http.MediaType;

/**
 * The stored types a browser may show inline from this app: images that cannot run script, audio,
 * video, PDF and plain text. Everything else (HTML, SVG, XML and XHTML, JavaScript, types the
 * browser may sniff or render as a document, anything unknown) is sent as an attachment.
 */
final class InlineTypes {

	private static final Set<String> IMAGES = Set.of("png", "jpeg", "gif", "webp", "avif", "bmp", "x-icon",
			"vnd.microsoft.icon");

	private InlineTypes() {
	}

	static boolean isInline(MediaType type) {
		String main = type.getType().toLowerCase(java.util.Locale.ROOT);
		String sub = type.getSubtype().toLowerCase(java.util.Locale.ROOT);
		return switch (main) {
			case "image" -> IMAGES.contains(sub);
			case "audio", "video" -> true;
			case "application" -> sub.equals("pdf");
			case "text" -> sub.equals("plain");
			default -> false;
		};
	}

}
