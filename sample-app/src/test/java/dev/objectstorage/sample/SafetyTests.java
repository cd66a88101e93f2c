package dev.objectstorage.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app in front of a hostile client or a hostile page: stored files cannot run in the
 * app's origin, cross-site and misdirected requests are refused, malformed headers and names are
 * 4xx JSON problems, and conditional GET/HEAD follow RFC 9110.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.allowed-hosts=files.example")
class SafetyTests {

	private static Path root;

	@LocalServerPort
	int port;

	WebTestClient client;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-safety");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private String put(String path, String type, String body) {
		return this.client.put().uri("/files/" + path).contentType(MediaType.parseMediaType(type)).bodyValue(body)
			.exchange().expectStatus().isCreated().expectBody().returnResult().getResponseHeaders().getETag();
	}

	@ParameterizedTest
	@CsvSource({ "page.html, text/html, true", "image.svg, image/svg+xml, true", "page.xhtml, application/xhtml+xml, true",
			"data.xml, text/xml, true", "code.js, text/javascript, true", "odd.bin, application/x-unknown, true",
			"photo.png, image/png, false", "notes.txt, text/plain, false", "doc.pdf, application/pdf, false",
			"clip.mp4, video/mp4, false" })
	void storedFilesAreSandboxedAndScriptableTypesAreAttachments(String name, String type, boolean attachment) {
		put("typed/" + name, type, "<script>fetch('/files/victim', {method: 'DELETE'})</script>");
		HttpHeaders headers = this.client.get().uri("/files/typed/" + name).exchange().expectStatus().isOk()
			.expectBody().returnResult().getResponseHeaders();
		assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(headers.getFirst("Content-Security-Policy")).contains("sandbox").contains("default-src 'none'");
		String disposition = headers.getFirst(HttpHeaders.CONTENT_DISPOSITION);
		if (attachment) {
			assertThat(disposition).startsWith("attachment");
		}
		else {
			assertThat(disposition).isNull();
		}
	}

	@Test
	void thePageHasItsOwnPolicy() {
		this.client.get().uri("/").exchange().expectStatus().isOk()
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader().value("Content-Security-Policy", (csp) -> assertThat(csp).contains("default-src 'self'"));
		this.client.head().uri("/").exchange().expectStatus().isOk();
	}

	@Test
	void crossOriginWritesAreRefused() {
		put("victim", "text/plain", "keep me");
		for (String origin : List.of("http://evil.example", "null")) {
			this.client.put().uri("/files/planted.html").header(HttpHeaders.ORIGIN, origin)
				.contentType(MediaType.TEXT_HTML).bodyValue("<script></script>").exchange()
				.expectStatus().isForbidden();
			this.client.delete().uri("/files/victim").header(HttpHeaders.ORIGIN, origin).exchange()
				.expectStatus().isForbidden();
			MultipartBodyBuilder form = new MultipartBodyBuilder();
			form.part("file", new ByteArrayResource("x".getBytes()) {
				@Override
				public String getFilename() {
					return "form.html";
				}
			});
			this.client.post().uri("/files").header(HttpHeaders.ORIGIN, origin)
				.body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isForbidden();
		}
		assertThat(root.resolve("victim")).hasContent("keep me");
		assertThat(root.resolve("planted.html")).doesNotExist();
		assertThat(root.resolve("form.html")).doesNotExist();
		// the app's own page is same-origin
		this.client.put().uri("/files/own.txt").header(HttpHeaders.ORIGIN, "http://127.0.0.1:" + this.port)
			.contentType(MediaType.TEXT_PLAIN).bodyValue("mine").exchange().expectStatus().isCreated();
	}

	@Test
	void aConnectionServesTheNextRequestAfterARefusedUpload() throws Exception {
		// the refusal is answered before the body is sent (as a busy client may well do): the body that
		// follows must not keep the connection from reading the next request (before, it waited until
		// the header timeout closed it, and the client saw a reset)
		for (String header : List.of("Origin: http://evil.example", "Origin: null")) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
				socket.setSoTimeout(30_000); // generous: a busy machine answers late, a stalled connection still fails
				java.io.OutputStream out = socket.getOutputStream();
				java.io.InputStream in = socket.getInputStream();
				String hostHeader = "Host: 127.0.0.1:" + this.port + "\r\n";
				out.write(("PUT /files/refused.txt HTTP/1.1\r\n" + hostHeader + header
						+ "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(readResponse(in)).as(header).startsWith("HTTP/1.1 403");
				out.write("hello".getBytes(StandardCharsets.US_ASCII));
				out.write(("GET /files HTTP/1.1\r\n" + hostHeader + "\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(readResponse(in)).as("the next request on the connection").startsWith("HTTP/1.1 200");
			}
		}
		assertThat(root.resolve("refused.txt")).doesNotExist();
	}

	/** Reads one response (status line, headers, a body of Content-Length or chunked) and returns its status line. */
	private static String readResponse(java.io.InputStream in) throws java.io.IOException {
		String status = readLine(in);
		long length = 0;
		boolean chunked = false;
		for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
			String lower = line.toLowerCase(java.util.Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(line.substring(15).trim());
			}
			chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
		}
		if (chunked) {
			for (long size = Long.parseLong(readLine(in).trim(), 16); size > 0; size = Long.parseLong(readLine(in).trim(), 16)) {
				in.readNBytes((int) size);
				readLine(in);
			}
			readLine(in);
		}
		else {
			in.readNBytes((int) length);
		}
		return status;
	}

	private static String readLine(java.io.InputStream in) throws java.io.IOException {
		StringBuilder line = new StringBuilder();
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0) {
				throw new java.io.EOFException("connection closed after: " + line);
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Test
	void requestsForAnotherHostAreMisdirected() {
		this.client.get().uri("/files").header(HttpHeaders.HOST, "evil.example").exchange()
			.expectStatus().isEqualTo(HttpStatus.MISDIRECTED_REQUEST)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
		this.client.put().uri("/files/rebound.txt").header(HttpHeaders.HOST, "evil.example:" + this.port)
			.header(HttpHeaders.ORIGIN, "http://evil.example:" + this.port).contentType(MediaType.TEXT_PLAIN)
			.bodyValue("x").exchange().expectStatus().isEqualTo(HttpStatus.MISDIRECTED_REQUEST);
		assertThat(root.resolve("rebound.txt")).doesNotExist();
		this.client.get().uri("/files").header(HttpHeaders.HOST, "localhost:" + this.port).exchange()
			.expectStatus().isOk();
		this.client.get().uri("/files").header(HttpHeaders.HOST, "files.example").exchange().expectStatus().isOk();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "If-Match|garbage", "If-Match|\"unterminated", "If-None-Match|W/",
			"If-None-Match|\"a\" \"b\"", "If-Range|not a date", "Content-Type|not a type", "Content-Type|text/",
			"Range|bytes=abc", "Range|bytes=5-1", "If-Modified-Since|yesterday", "If-Unmodified-Since|1",
			"Content-Type|text/plain; charset=\"", "If-Match|\"a\",,\"b\"", "If-Range|W/\"x\"" })
	void malformedHeadersAreNeverServerErrors(String header, String value) throws Exception {
		put("fuzz.txt", "text/plain", "fuzz");
		for (String method : List.of("GET", "HEAD", "PUT")) {
			int status = rawStatus(method + " /files/fuzz.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + ": " + value
					+ "\r\nContent-Length: 4\r\nConnection: close\r\n\r\nfuzz");
			assertThat(status).as(method + " with " + header + ": " + value).isBetween(200, 499);
		}
	}

	/** The status of a request sent as is (a client library would refuse to send a malformed header). */
	private int rawStatus(String request) throws Exception {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			String line = new java.io.BufferedReader(
					new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
				.readLine();
			return Integer.parseInt(line.split(" ")[1]);
		}
	}

	@Test
	void malformedHeadersAreJsonProblems() throws Exception {
		this.client.put().uri("/files/bad.txt").header(HttpHeaders.IF_MATCH, "garbage").bodyValue("x").exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.header").isEqualTo("If-Match");
		assertThat(rawStatus("PUT /files/bad.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: not a type\r\n"
				+ "Content-Length: 1\r\nConnection: close\r\n\r\nx")).isEqualTo(400);
		assertThat(root.resolve("bad.txt")).doesNotExist();
	}

	@Test
	void multipartPartWithABadTypeIsABadRequest() {
		String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"\r\n"
				+ "Content-Type: not a type\r\n\r\nhello\r\n--b--\r\n";
		HttpStatus status = HttpStatus.resolve(this.client.post().uri("/files")
			.header(HttpHeaders.CONTENT_TYPE, "multipart/form-data; boundary=b").bodyValue(body.getBytes(StandardCharsets.UTF_8))
			.exchange().expectBody().returnResult().getStatus().value());
		assertThat(status).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(root.resolve("x.txt")).doesNotExist();
	}

	@Test
	void namesThatAreNotUtf8OrHideTheirExtensionAreRefused() {
		this.client.put().uri(URI.create("http://127.0.0.1:" + this.port + "/files/%FF%FE.txt")).bodyValue("x")
			.exchange().expectStatus().isBadRequest();
		this.client.put().uri(URI.create("http://127.0.0.1:" + this.port + "/files/%E2%80%AEgpj.exe")).bodyValue("x")
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.kind").isEqualTo("INVALID_INPUT");
		this.client.get().uri(URI.create("http://127.0.0.1:" + this.port + "/files/%FE%FF.txt")).exchange()
			.expectStatus().isBadRequest();
		try (var files = Files.list(root)) {
			assertThat(files.map((file) -> file.getFileName().toString())).noneMatch((name) -> name.contains("\uFFFD"));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void conditionalGetsAndHeadsFollowRfc9110() {
		String etag = put("cond.txt", "text/plain", "conditional");
		String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(3600).atOffset(ZoneOffset.UTC));
		String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().minusSeconds(3600).atOffset(ZoneOffset.UTC));
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_NONE_MATCH, "*").exchange()
				.expectStatus().isNotModified().expectHeader().valueEquals(HttpHeaders.ETAG, etag);
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_NONE_MATCH, "\"x\", " + etag)
				.exchange().expectStatus().isNotModified();
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_MATCH, "\"other\"").exchange()
				.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_MATCH, etag).exchange()
				.expectStatus().isOk();
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_UNMODIFIED_SINCE, past).exchange()
				.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_MODIFIED_SINCE, future).exchange()
				.expectStatus().isNotModified();
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_MODIFIED_SINCE, past).exchange()
				.expectStatus().isOk();
			// If-Match wins over If-Unmodified-Since; If-None-Match over If-Modified-Since (RFC 9110, 13.2.2)
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_MATCH, etag)
				.header(HttpHeaders.IF_UNMODIFIED_SINCE, past).exchange().expectStatus().isOk();
			this.client.method(method).uri("/files/cond.txt").header(HttpHeaders.IF_NONE_MATCH, "\"other\"")
				.header(HttpHeaders.IF_MODIFIED_SINCE, future).exchange().expectStatus().isOk();
			this.client.method(method).uri("/files/missing.txt").header(HttpHeaders.IF_MATCH, "*").exchange()
				.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
		}
		this.client.get().uri("/files/cond.txt").header(HttpHeaders.RANGE, "bytes=0-3").header(HttpHeaders.IF_RANGE, etag)
			.exchange().expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT).expectBody(String.class).isEqualTo("cond");
		this.client.get().uri("/files/cond.txt").header(HttpHeaders.RANGE, "bytes=0-3")
			.header(HttpHeaders.IF_RANGE, "W/" + etag).exchange().expectStatus().isOk();
	}

}
