package dev.objectstorage.webdav;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

import dev.objectstorage.WriteOptions;
import org.jspecify.annotations.Nullable;

/**
 * The XML of WebDAV: {@code PROPFIND} and {@code PROPPATCH} bodies, and multistatus answers read
 * with the JDK's streaming parser (StAX), one {@code DAV:response} at a time.
 * <p>
 * What this library stores besides the bytes lives in dead properties of its own namespace
 * ({@value #NAMESPACE}): {@code tag} (a random value per write, part of the entity tag),
 * {@code content-type}, {@code cache-control}, {@code content-disposition}, and
 * {@code user-metadata} (one {@code key=value} line per entry, as keys may not be XML names).
 * They are set on the temporary resource before it is moved into place, and {@code MOVE} and
 * {@code COPY} carry dead properties along, so they appear together with the bytes.
 */
final class DavXml {

	static final String DAV = "DAV:";

	/** The namespace of this library's dead properties. */
	static final String NAMESPACE = "urn:x-objectstorage:webdav";

	private static final XMLInputFactory INPUT = inputFactory();

	private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

	/** The properties a {@code PROPFIND} asks for: a listing's and a stat's needs alike. */
	static final byte[] PROPFIND = utf8("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
			+ "<D:propfind xmlns:D=\"DAV:\" xmlns:O=\"" + NAMESPACE + "\"><D:prop>"
			+ "<D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/>"
			+ "<O:tag/><O:content-type/><O:cache-control/><O:content-disposition/><O:user-metadata/>"
			+ "</D:prop></D:propfind>");

	private DavXml() {
	}

	private static XMLInputFactory inputFactory() {
		XMLInputFactory factory = XMLInputFactory.newFactory();
		factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
		factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
		factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
		factory.setProperty(XMLInputFactory.IS_COALESCING, true);
		return factory;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The names of the properties a write sets, in this order. */
	static final List<String> WRITE_PROPERTIES = List.of("tag", "content-type", "cache-control",
			"content-disposition", "user-metadata");

	/**
	 * The dead properties that store a write's tag and metadata: all of them, the absent ones
	 * blank (a space; a line break for user metadata), which reads as absent. Blank values, rather
	 * than none, because lighttpd's {@code MOVE} onto an existing resource keeps those of the
	 * replaced resource's properties that the moved one lacks, and lighttpd drops properties set to
	 * the empty string.
	 */
	static Map<String, String> writeProperties(String tag, WriteOptions options) {
		Map<String, String> props = new LinkedHashMap<>();
		props.put("tag", tag);
		props.put("content-type", nullToEmpty(options.contentType()));
		props.put("cache-control", nullToEmpty(options.cacheControl()));
		props.put("content-disposition", nullToEmpty(options.contentDisposition()));
		StringBuilder lines = new StringBuilder();
		new TreeMap<>(options.userMetadata())
			.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
		props.put("user-metadata", lines.isEmpty() ? "\n" : lines.toString());
		return props;
	}

	private static String nullToEmpty(@Nullable String value) {
		return (value != null) ? value : ABSENT;
	}

	/** The value of a property that is absent. */
	private static final String ABSENT = " ";

	/**
	 * The {@code PROPPATCH} body that stores a write's tag and metadata.
	 */
	static byte[] proppatch(String tag, WriteOptions options) {
		return proppatch(writeProperties(tag, options), List.of());
	}

	/**
	 * A {@code PROPPATCH} body that sets and removes properties of this library's namespace, each in
	 * a {@code set} or {@code remove} of its own: lighttpd stores only the first property of a
	 * {@code prop} that holds several (and answers success).
	 */
	static byte[] proppatch(Map<String, String> set, Collection<String> remove) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try {
			XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, "UTF-8");
			xml.writeStartDocument("UTF-8", "1.0");
			xml.setPrefix("D", DAV);
			xml.setPrefix("O", NAMESPACE);
			xml.writeStartElement(DAV, "propertyupdate");
			xml.writeNamespace("D", DAV);
			xml.writeNamespace("O", NAMESPACE);
			for (Map.Entry<String, String> prop : set.entrySet()) {
				xml.writeStartElement(DAV, "set");
				xml.writeStartElement(DAV, "prop");
				xml.writeStartElement(NAMESPACE, prop.getKey());
				xml.writeCharacters(prop.getValue());
				xml.writeEndElement();
				xml.writeEndElement();
				xml.writeEndElement();
			}
			for (String name : remove) {
				xml.writeStartElement(DAV, "remove");
				xml.writeStartElement(DAV, "prop");
				xml.writeEmptyElement(NAMESPACE, name);
				xml.writeEndElement();
				xml.writeEndElement();
			}
			xml.writeEndElement();
			xml.writeEndDocument();
			xml.close();
		}
		catch (XMLStreamException ex) {
			throw new IllegalStateException("Cannot write a PROPPATCH body", ex);
		}
		return out.toByteArray();
	}

	/** A {@code PROPFIND} body asking for the given properties of this library's namespace. */
	static byte[] propfind(Collection<String> names) {
		StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
				+ "<D:propfind xmlns:D=\"DAV:\" xmlns:O=\"" + NAMESPACE + "\"><D:prop><D:getetag/>");
		for (String name : names) {
			body.append("<O:").append(name).append("/>");
		}
		return utf8(body.append("</D:prop></D:propfind>").toString());
	}

	/**
	 * The {@code PROPPATCH} body that gives a resource a new tag only (a copy keeps the rest).
	 */
	static byte[] proppatchTag(String tag) {
		return proppatch(Map.of("tag", tag), List.of());
	}

	/**
	 * Reads a multistatus answer, handing each {@code DAV:response} to the consumer as soon as it is read.
	 * @param body the answer
	 * @param consumer receives the resources
	 * @throws XMLStreamException if the answer is malformed or breaks off
	 */
	static void parse(byte[] body, Consumer<DavResource> consumer) throws XMLStreamException {
		parse(new ByteArrayInputStream(body), consumer);
	}

	static void parse(InputStream body, Consumer<DavResource> consumer) throws XMLStreamException {
		parseResponses(body, (response) -> consumer.accept(response.build()));
	}

	/**
	 * The properties of this library's namespace (by local name) that the first {@code DAV:response}
	 * of a multistatus answer reports as found, or an empty map.
	 */
	static Map<String, String> ownProperties(byte[] body) throws XMLStreamException {
		Map<String, String> found = new LinkedHashMap<>();
		boolean[] first = { true };
		parseResponses(new ByteArrayInputStream(body), (response) -> {
			if (first[0]) {
				first[0] = false;
				response.props.forEach((key, value) -> {
					if (key.startsWith("O:")) {
						found.put(key.substring(2), value);
					}
				});
			}
		});
		return found;
	}

	private static void parseResponses(InputStream body, Consumer<ResponseBuilder> consumer)
			throws XMLStreamException {
		XMLStreamReader xml = INPUT.createXMLStreamReader(body);
		try {
			ResponseBuilder response = null;
			Map<String, String> pending = null;
			boolean pendingCollection = false;
			String pendingStatus = null;
			boolean inProp = false;
			while (xml.hasNext()) {
				int event = xml.next();
				if (event == XMLStreamConstants.START_ELEMENT) {
					String ns = xml.getNamespaceURI();
					String name = xml.getLocalName();
					if (inProp) {
						if (DAV.equals(ns) && name.equals("resourcetype")) {
							pendingCollection = readResourceType(xml);
						}
						else if (DAV.equals(ns) || NAMESPACE.equals(ns)) {
							String key = (DAV.equals(ns) ? "D:" : "O:") + name;
							pending.put(key, readText(xml));
						}
						else {
							skip(xml);
						}
					}
					else if (DAV.equals(ns)) {
						switch (name) {
							case "response" -> response = new ResponseBuilder();
							case "href" -> {
								if (response != null && pending == null) {
									response.href = xml.getElementText().trim();
								}
								else {
									skip(xml);
								}
							}
							case "propstat" -> {
								pending = new LinkedHashMap<>();
								pendingCollection = false;
								pendingStatus = null;
							}
							case "prop" -> inProp = pending != null;
							case "status" -> {
								String status = xml.getElementText().trim();
								if (pending != null) {
									pendingStatus = status;
								}
								else if (response != null) {
									response.status = status;
								}
							}
							default -> {
								// multistatus, responsedescription, error, ...: nothing to keep
							}
						}
					}
				}
				else if (event == XMLStreamConstants.END_ELEMENT && DAV.equals(xml.getNamespaceURI())) {
					String name = xml.getLocalName();
					if (name.equals("prop")) {
						inProp = false;
					}
					else if (name.equals("propstat") && pending != null) {
						if (response != null && isOk(pendingStatus)) {
							response.props.putAll(pending);
							response.collection |= pendingCollection;
						}
						pending = null;
					}
					else if (name.equals("response") && response != null) {
						if (response.href != null && (response.status == null || isOk(response.status))) {
							consumer.accept(response);
						}
						response = null;
					}
				}
			}
		}
		finally {
			xml.close();
		}
	}

	/**
	 * Reads the statuses of a {@code PROPPATCH} answer.
	 * @return the first status that is not 2xx, or {@code null} if every property was set
	 */
	static @Nullable String firstFailure(byte[] body) throws XMLStreamException {
		XMLStreamReader xml = INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
		try {
			while (xml.hasNext()) {
				if (xml.next() == XMLStreamConstants.START_ELEMENT && DAV.equals(xml.getNamespaceURI())
						&& xml.getLocalName().equals("status")) {
					String status = xml.getElementText().trim();
					if (!isOk(status)) {
						return status;
					}
				}
			}
			return null;
		}
		finally {
			xml.close();
		}
	}

	/** Whether an {@code HTTP/1.1 200 OK} style status line says 2xx. */
	private static boolean isOk(@Nullable String statusLine) {
		if (statusLine == null) {
			return false;
		}
		int space = statusLine.indexOf(' ');
		return space >= 0 && statusLine.length() > space + 1 && statusLine.charAt(space + 1) == '2';
	}

	private static boolean readResourceType(XMLStreamReader xml) throws XMLStreamException {
		boolean collection = false;
		int depth = 1;
		while (depth > 0) {
			int event = xml.next();
			if (event == XMLStreamConstants.START_ELEMENT) {
				depth++;
				if (DAV.equals(xml.getNamespaceURI()) && xml.getLocalName().equals("collection")) {
					collection = true;
				}
			}
			else if (event == XMLStreamConstants.END_ELEMENT) {
				depth--;
			}
		}
		return collection;
	}

	/** The text of an element, ignoring any child elements (a property another client gave structure). */
	private static String readText(XMLStreamReader xml) throws XMLStreamException {
		StringBuilder text = new StringBuilder();
		int depth = 1;
		while (depth > 0) {
			int event = xml.next();
			if (event == XMLStreamConstants.START_ELEMENT) {
				depth++;
			}
			else if (event == XMLStreamConstants.END_ELEMENT) {
				depth--;
			}
			else if (depth == 1 && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
					|| event == XMLStreamConstants.SPACE)) {
				text.append(xml.getText());
			}
		}
		return text.toString();
	}

	private static void skip(XMLStreamReader xml) throws XMLStreamException {
		int depth = 1;
		while (depth > 0) {
			int event = xml.next();
			if (event == XMLStreamConstants.START_ELEMENT) {
				depth++;
			}
			else if (event == XMLStreamConstants.END_ELEMENT) {
				depth--;
			}
		}
	}

	/** Parses an HTTP date ({@code getlastmodified}, {@code Date}), or {@code null}. */
	static @Nullable Instant httpDate(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static final class ResponseBuilder {

		@Nullable String href;

		@Nullable String status;

		boolean collection;

		final Map<String, String> props = new LinkedHashMap<>();

		DavResource build() {
			long size = -1;
			String length = this.props.get("D:getcontentlength");
			if (length != null && !length.isBlank()) {
				try {
					size = Long.parseLong(length.trim());
				}
				catch (NumberFormatException ex) {
					size = -1;
				}
			}
			Map<String, String> user = new LinkedHashMap<>();
			String lines = this.props.get("O:user-metadata");
			if (lines != null) {
				for (String line : lines.split("\n")) {
					int eq = line.indexOf('=');
					if (eq > 0) {
						user.put(line.substring(0, eq), line.substring(eq + 1));
					}
				}
			}
			return new DavResource(this.href, this.collection, size, httpDate(this.props.get("D:getlastmodified")),
					emptyToNull(this.props.get("D:getetag")), emptyToNull(this.props.get("O:tag")),
					emptyToNull(this.props.get("O:content-type")), emptyToNull(this.props.get("O:cache-control")),
					emptyToNull(this.props.get("O:content-disposition")), user);
		}

		private static @Nullable String emptyToNull(@Nullable String value) {
			return (value == null || value.isBlank()) ? null : value;
		}

	}

}
