package dev.objectstorage.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps {@code docs/properties.md} equal to what the configuration metadata (written by
 * spring-boot-configuration-processor into {@code target/classes}, additional metadata merged in)
 * says. Run with {@code -Dproperties.update=true} to write the file; otherwise a difference fails
 * with the command that regenerates it.
 */
class PropertiesDocumentationTests {

	static final String REGENERATE = "./mvnw -B -pl storage-spring-boot-autoconfigure -am test "
			+ "-Dtest=PropertiesDocumentationTests -Dsurefire.failIfNoSpecifiedTests=false -Dproperties.update=true";

	/** Sections in order: title, key prefix, introduction; one per registered type after the first. */
	private static final List<String[]> SECTIONS = sections();

	private static List<String[]> sections() {
		List<String[]> sections = new ArrayList<>();
		sections.add(new String[] { "General", "storage.", "Which storage, and what every write does." });
		for (StorageBackendType type : StorageBackendTypes.ALL) {
			sections.add(new String[] { type.title() + " (`" + type.type() + "`)", "storage." + type.type() + ".",
					type.description() });
		}
		sections.add(new String[] { "Layer: retry", "storage.retry.", "Retries of operations that fail with a temporary error." });
		sections.add(new String[] { "Layer: timeout", "storage.timeout.", "Deadlines per operation and per stalled stream." });
		sections.add(new String[] { "Layer: concurrency limit", "storage.concurrency-limit.", "At most so many operations at once." });
		sections.add(new String[] { "Layer: metrics", "storage.metrics.",
				"Operations, errors, bytes and latency (Actuator endpoint, Micrometer)." });
		sections.add(new String[] { "Layer: observations", "storage.observations.", "A Micrometer observation per operation (traces)." });
		sections.add(new String[] { "Web", "storage.web.", "Storage errors as HTTP answers in WebFlux and MVC applications." });
		sections.add(new String[] { "Actuator", "management.", "The `storage` endpoint and health component." });
		return sections;
	}

	@Test
	void propertiesReferenceIsUpToDate() throws IOException, URISyntaxException {
		String generated = render(metadata());
		Path doc = projectRoot().resolve("docs/properties.md");
		if (Boolean.getBoolean("properties.update")) {
			Files.writeString(doc, generated, StandardCharsets.UTF_8);
			return;
		}
		String existing = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
		if (!existing.equals(generated)) {
			List<String> want = generated.lines().toList();
			List<String> have = existing.lines().toList();
			int line = 0;
			while (line < want.size() && line < have.size() && want.get(line).equals(have.get(line))) {
				line++;
			}
			fail("docs/properties.md is out of date with the configuration metadata (first difference at line "
					+ (line + 1) + ":\n  expected: " + (line < want.size() ? want.get(line) : "<end of file>")
					+ "\n  found:    " + (line < have.size() ? have.get(line) : "<end of file>")
					+ ")\nRegenerate it from the repository root with:\n  " + REGENERATE);
		}
	}

	private static Path projectRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("docs")) ) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> metadata() throws IOException, URISyntaxException {
		Path classes = Path.of(StorageProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path json = classes.resolve("META-INF/spring-configuration-metadata.json");
		return JsonParserFactory.getJsonParser().parseMap(Files.readString(json, StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	static String render(Map<String, Object> metadata) {
		Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
		((List<Map<String, Object>>) metadata.get("properties")).stream()
			.filter((p) -> ((String) p.get("name")).startsWith("storage.")
					|| ((String) p.get("name")).startsWith("management."))
			.sorted((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")))
			.forEach((p) -> properties.put((String) p.get("name"), p));
		Map<String, List<String>> hints = new LinkedHashMap<>();
		for (Map<String, Object> hint : (List<Map<String, Object>>) metadata.getOrDefault("hints", List.of())) {
			hints.put((String) hint.get("name"), ((List<Map<String, Object>>) hint.get("values")).stream()
				.map((v) -> "`" + v.get("value") + "`")
				.toList());
		}
		Set<String> topLevelOnly = topLevelOnlyKeys();

		StringBuilder out = new StringBuilder();
		out.append("# Configuration properties\n\n")
			.append("Every property of the auto-configuration (`storage-spring-boot-autoconfigure`), with its type, default\n")
			.append("and description, grouped by backend and layer. This file is generated from the configuration metadata\n")
			.append("by `PropertiesDocumentationTests`, which fails the build when it is out of date; do not edit it by hand,\n")
			.append("regenerate it from the repository root:\n\n")
			.append("```\n").append(REGENERATE).append("\n```\n\n")
			.append("## One storage or several\n\n")
			.append("The `storage.*` keys below configure one storage (its type, its backend's settings and its layers).\n")
			.append("For several, name them under `storage.instances`: `storage.instances.<name>.*` takes the same keys as\n")
			.append("`storage.*` without the `storage.` (`storage.instances.photos.type`, `storage.instances.photos.s3.bucket`,\n")
			.append("`storage.instances.photos.retry.max-attempts`, ...), except the keys marked *application-wide*, which exist\n")
			.append("only once. `storage.primary` names the one injected without a qualifier.\n\n")
			.append("Durations take `ms`, `s`, `m`, `h`, `d` suffixes (`30s`) or ISO-8601 (`PT30S`); sizes take `B`, `KB`, `MB`,\n")
			.append("`GB` (`8MB`).\n");

		List<String> done = new ArrayList<>();
		for (String[] section : SECTIONS) {
			List<String> keys = properties.keySet()
				.stream()
				.filter((k) -> k.startsWith(section[1]) && !done.contains(k))
				.filter((k) -> !section[1].equals("storage.") || k.indexOf('.', "storage.".length()) < 0)
				.toList();
			if (keys.isEmpty()) {
				continue;
			}
			done.addAll(keys);
			table(out, section[0], section[2], keys, properties, hints, topLevelOnly);
		}
		List<String> rest = properties.keySet().stream().filter((k) -> !done.contains(k)).toList();
		if (!rest.isEmpty()) {
			table(out, "Other", "Keys not in a section above.", rest, properties, hints, topLevelOnly);
		}
		return out.toString();
	}

	private static void table(StringBuilder out, String title, String intro, List<String> keys,
			Map<String, Map<String, Object>> properties, Map<String, List<String>> hints, Set<String> topLevelOnly) {
		out.append("\n## ").append(title).append("\n\n").append(intro).append("\n\n");
		out.append("| key | type | default | description |\n|---|---|---|---|\n");
		for (String key : keys) {
			Map<String, Object> p = properties.get(key);
			String type = (String) p.get("type");
			String description = oneLine((String) p.get("description"));
			if (hints.containsKey(key)) {
				description += " One of " + String.join(", ", hints.get(key)) + ".";
			}
			boolean applicationWide = key.startsWith("storage.")
					&& topLevelOnly.stream().anyMatch((k) -> key.equals(k) || key.startsWith(k + "."));
			if (applicationWide) {
				description = "*Application-wide.* " + description;
			}
			out.append("| `")
				.append(key)
				.append("` | ")
				.append(type(type))
				.append(" | ")
				.append(defaultValue(p.get("defaultValue")))
				.append(" | ")
				.append(description.strip())
				.append(" |\n");
		}
	}

	/** The keys that StorageProperties declares itself (the rest it inherits, per storage). */
	private static Set<String> topLevelOnlyKeys() {
		return Arrays.stream(StorageProperties.class.getDeclaredFields())
			.filter((f) -> !Modifier.isStatic(f.getModifiers()))
			.map(Field::getName)
			.map((name) -> "storage." + name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static String type(String type) {
		if (type == null) {
			return "";
		}
		try {
			Class<?> cls = Class.forName(type, false, PropertiesDocumentationTests.class.getClassLoader());
			if (cls.isEnum()) {
				return Arrays.stream(cls.getEnumConstants())
					.map((c) -> "`" + ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-') + "`")
					.collect(Collectors.joining(", "));
			}
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// a generic type or a class not on this class path: shown by name
		}
		return "`" + type.replaceAll("(\\b[a-z][a-z0-9_]*\\.)+", "").replace('$', '.').replace(",", ", ") + "`";
	}

	private static String defaultValue(Object value) {
		if (value == null) {
			return "";
		}
		String text = (value instanceof List<?> list) ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
				: String.valueOf(value);
		return text.isEmpty() ? "(empty)" : "`" + text + "`";
	}

	private static String oneLine(String text) {
		return (text != null) ? text.replaceAll("\\s+", " ").replace("|", "\\|") : "";
	}

}
