package dev.objectstorage.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the {@code storage.type} hints of {@code additional-spring-configuration-metadata.json}
 * equal to the registered types ({@link StorageBackendTypes#ALL}): the file is the only place the
 * configuration processor takes hints from, so they are written from the registrations rather than
 * by hand. Run with {@code -Dproperties.update=true} to write them (then compile again and
 * regenerate {@code docs/properties.md}, which shows them).
 */
class StorageTypeHintsTests {

	private static final Path METADATA = Path
		.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

	private static final String HINTS = "  \"hints\": [\n";

	@Test
	void typeHintsAreTheRegisteredTypes() throws IOException {
		String existing = Files.readString(METADATA, StandardCharsets.UTF_8);
		int start = existing.indexOf(HINTS);
		assertThat(start).as("the hints of %s", METADATA).isPositive();
		String generated = existing.substring(0, start) + hints();
		if (Boolean.getBoolean("properties.update")) {
			Files.writeString(METADATA, generated, StandardCharsets.UTF_8);
			return;
		}
		assertThat(existing).as("the storage.type hints of %s are out of date with StorageBackendTypes.ALL; "
				+ "regenerate them with:\n  %s", METADATA, PropertiesDocumentationTests.REGENERATE
			.replace("PropertiesDocumentationTests", "StorageTypeHintsTests"))
			.isEqualTo(generated);
	}

	private static String hints() {
		StringBuilder out = new StringBuilder(HINTS);
		out.append("    {\n      \"name\": \"storage.type\",\n      \"values\": [\n");
		for (int i = 0; i < StorageBackendTypes.ALL.size(); i++) {
			StorageBackendType type = StorageBackendTypes.ALL.get(i);
			out.append("        { \"value\": \"").append(json(type.type())).append("\", \"description\": \"")
				.append(json(type.description())).append("\" }").append(separator(i)).append('\n');
		}
		out.append("      ]\n    },\n    {\n      \"name\": \"storage.instances.values.type\",\n      \"values\": [\n");
		for (int i = 0; i < StorageBackendTypes.ALL.size(); i++) {
			out.append("        { \"value\": \"").append(json(StorageBackendTypes.ALL.get(i).type())).append("\" }")
				.append(separator(i)).append('\n');
		}
		return out.append("      ]\n    }\n  ]\n}\n").toString();
	}

	private static String separator(int index) {
		return (index < StorageBackendTypes.ALL.size() - 1) ? "," : "";
	}

	private static String json(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"");
	}

}
