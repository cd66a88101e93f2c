package dev.objectstorage.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file API over HTTP on the fs storage: every status code, Range edge cases, conditional
 * requests, odd names, multipart uploads, listing pages. Errors are JSON problems, never stack traces.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.max-upload-size=2MB")
class FilesApiTests {

	private static Path root;

	@LocalServerPort
	int port;

	WebTestClient client;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-api");
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
			.responseTimeout(Duration.ofSeconds(60))
			.build();
	}

	/** An absolute, already encoded URI (a string would be taken as a template and encoded again). */
	private java.net.URI url(String path) {
		return java.net.URI.create("http://127.0.0.1:" + this.port + "/files/" + UriUtils.encodePath(path, StandardCharsets.UTF_8));
	}

	private static byte[] bytes(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

	private String put(String path, byte[] data) {
		return this.client.put().uri(url(path)).contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(data)
			.exchange()
			.expectStatus().isCreated()
			.returnResult(String.class).getResponseHeaders().getETag();
	}

	@Test
	void putStoresTheBodyAndAnswersWithMetadata() {
		this.client.put().uri("/files/docs/a.txt").contentType(MediaType.TEXT_PLAIN).bodyValue("hello")
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().valueEquals(HttpHeaders.LOCATION, "/files/docs/a.txt")
			.expectHeader().exists(HttpHeaders.ETAG)
			.expectBody()
			.jsonPath("$.path").isEqualTo("docs/a.txt")
			.jsonPath("$.size").isEqualTo(5)
			.jsonPath("$.contentType").isEqualTo("text/plain");
		assertThat(root.resolve("docs/a.txt")).hasContent("hello");
	}

	@Test
	void putWithIfNoneMatchStarCreatesOnlyOnce() {
		this.client.put().uri("/files/once").header(HttpHeaders.IF_NONE_MATCH, "*").bodyValue("first")
			.exchange().expectStatus().isCreated();
		this.client.put().uri("/files/once").header(HttpHeaders.IF_NONE_MATCH, "*").bodyValue("second")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(412)
			.jsonPath("$.kind").isEqualTo("CONDITION_NOT_MATCH")
			.jsonPath("$.detail").isNotEmpty()
			.jsonPath("$.trace").doesNotExist();
		this.client.get().uri("/files/once").exchange().expectBody(String.class).isEqualTo("first");
	}

	@Test
	void putWithIfMatchReplacesOnlyThatVersion() {
		String etag = put("versioned", "v1".getBytes());
		this.client.put().uri("/files/versioned").header(HttpHeaders.IF_MATCH, etag).bodyValue("v2")
			.exchange().expectStatus().isCreated();
		this.client.put().uri("/files/versioned").header(HttpHeaders.IF_MATCH, etag).bodyValue("v3")
			.exchange().expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
		this.client.get().uri("/files/versioned").exchange().expectBody(String.class).isEqualTo("v2");
	}

	@Test
	void getSendsTheFileWithCachingHeaders() {
		byte[] data = bytes(10_000, 1);
		String etag = put("get/file.bin", data);
		EntityExchangeResult<byte[]> result = this.client.get().uri("/files/get/file.bin").exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.ETAG, etag)
			.expectHeader().exists(HttpHeaders.LAST_MODIFIED)
			.expectHeader().valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
			.expectHeader().contentLength(10_000)
			.expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
			.expectBody(byte[].class).returnResult();
		assertThat(result.getResponseBody()).isEqualTo(data);
	}

	@Test
	void ifNoneMatchGivesNotModified() {
		String etag = put("cached", "x".getBytes());
		this.client.get().uri("/files/cached").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
			.expectStatus().isNotModified()
			.expectHeader().valueEquals(HttpHeaders.ETAG, etag)
			.expectBody().isEmpty();
		this.client.get().uri("/files/cached").header(HttpHeaders.IF_NONE_MATCH, "\"other\"").exchange()
			.expectStatus().isOk();
	}

	@Test
	void rangeRequests() {
		byte[] data = bytes(1000, 2);
		put("range.bin", data);
		range("bytes=0-0", HttpStatus.PARTIAL_CONTENT, "bytes 0-0/1000", Arrays.copyOfRange(data, 0, 1));
		range("bytes=-500", HttpStatus.PARTIAL_CONTENT, "bytes 500-999/1000", Arrays.copyOfRange(data, 500, 1000));
		range("bytes=500-", HttpStatus.PARTIAL_CONTENT, "bytes 500-999/1000", Arrays.copyOfRange(data, 500, 1000));
		range("bytes=990-5000", HttpStatus.PARTIAL_CONTENT, "bytes 990-999/1000", Arrays.copyOfRange(data, 990, 1000));
		range("bytes=10-19", HttpStatus.PARTIAL_CONTENT, "bytes 10-19/1000", Arrays.copyOfRange(data, 10, 20));
		// ignored as RFC 9110 allows: the whole file
		range("bytes=0-1,5-6", HttpStatus.OK, null, data);
		range("bytes=nonsense", HttpStatus.OK, null, data);
		range("bytes=9-2", HttpStatus.OK, null, data);
		range("lines=1-2", HttpStatus.OK, null, data);
		range("bytes=0-" + "9".repeat(40), HttpStatus.OK, null, data);
	}

	private void range(String header, HttpStatus status, String contentRange, byte[] expected) {
		EntityExchangeResult<byte[]> result = this.client.get().uri("/files/range.bin").header(HttpHeaders.RANGE, header)
			.exchange()
			.expectStatus().isEqualTo(status)
			.expectBody(byte[].class).returnResult();
		assertThat(result.getResponseBody()).as(header).isEqualTo(expected);
		assertThat(result.getResponseHeaders().getFirst(HttpHeaders.CONTENT_RANGE)).as(header).isEqualTo(contentRange);
		assertThat(result.getResponseHeaders().getContentLength()).as(header).isEqualTo(expected.length);
	}

	@Test
	void rangesPastTheEndAreUnsatisfiable() {
		put("short.bin", bytes(100, 3));
		for (String header : new String[] { "bytes=100-", "bytes=1000-2000", "bytes=-0", "bytes=9999999999999999999-" }) {
			this.client.get().uri("/files/short.bin").header(HttpHeaders.RANGE, header).exchange()
				.expectStatus().isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
				.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */100")
				.expectBody().jsonPath("$.kind").isEqualTo("RANGE_NOT_SATISFIABLE");
		}
	}

	@Test
	void ifRangeWithAnotherTagSendsTheWholeFile() {
		byte[] data = bytes(100, 4);
		put("ifrange.bin", data);
		this.client.get().uri("/files/ifrange.bin").header(HttpHeaders.RANGE, "bytes=0-9")
			.header(HttpHeaders.IF_RANGE, "\"stale\"").exchange()
			.expectStatus().isOk().expectBody(byte[].class).isEqualTo(data);
	}

	@Test
	void headSendsHeadersOnly() {
		put("head.bin", bytes(4321, 5));
		this.client.head().uri("/files/head.bin").exchange()
			.expectStatus().isOk()
			.expectHeader().contentLength(4321)
			.expectHeader().exists(HttpHeaders.ETAG)
			.expectBody().isEmpty();
		this.client.head().uri("/files/nothing-here").exchange().expectStatus().isNotFound();
	}

	@Test
	void downloadAddsASafeContentDisposition() {
		String name = "we\"ird; name=x.txt";
		put("dl/" + name, "x".getBytes());
		String disposition = this.client.get().uri(java.net.URI.create(url("dl/" + name) + "?download")).exchange()
			.expectStatus().isOk()
			.returnResult(String.class).getResponseHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION);
		assertThat(disposition).startsWith("attachment;").doesNotContain("\r").doesNotContain("\n");
		assertThat(org.springframework.http.ContentDisposition.parse(disposition).getFilename()).isEqualTo(name);
	}

	@Test
	void deleteIsNoContentAlsoWhenMissing() {
		put("del.bin", "x".getBytes());
		this.client.delete().uri("/files/del.bin").exchange().expectStatus().isNoContent();
		this.client.delete().uri("/files/del.bin").exchange().expectStatus().isNoContent();
		this.client.get().uri("/files/del.bin").exchange()
			.expectStatus().isNotFound()
			.expectBody().jsonPath("$.kind").isEqualTo("NOT_FOUND").jsonPath("$.status").isEqualTo(404);
	}

	@Test
	void listingPagesThroughEntries() {
		for (int i = 0; i < 5; i++) {
			put("list/item-" + i, new byte[i]);
		}
		put("list/sub/deep", new byte[1]);
		this.client.get().uri("/files?prefix=list/&limit=2").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.entries.length()").isEqualTo(2)
			.jsonPath("$.entries[0].path").isEqualTo("list/item-0")
			.jsonPath("$.entries[1].size").isEqualTo(1)
			.jsonPath("$.nextStartAfter").isEqualTo("list/item-1");
		this.client.get().uri("/files?prefix=list/&limit=10&startAfter=list/item-3").exchange()
			.expectBody()
			.jsonPath("$.entries[0].path").isEqualTo("list/item-4")
			.jsonPath("$.entries[1].path").isEqualTo("list/sub/")
			.jsonPath("$.entries[1].directory").isEqualTo(true)
			.jsonPath("$.nextStartAfter").doesNotExist();
		this.client.get().uri("/files?prefix=list/&recursive=true&limit=100").exchange()
			.expectBody().jsonPath("$.entries.length()").isEqualTo(6);
		this.client.get().uri("/files?limit=0").exchange()
			.expectStatus().isBadRequest().expectBody().jsonPath("$.kind").isEqualTo("INVALID_INPUT");
	}

	@ParameterizedTest(name = "{0} is rejected with 400")
	@ValueSource(strings = { "/files/..%2f..%2fetc%2fpasswd", "/files/a/%2e%2e/%2e%2e/b", "/files/a//b",
			"/files/a%5c..%5cb", "/files/nul%00byte", "/files/dir/" })
	void invalidPathsAreBadRequests(String uri) {
		this.client.get().uri(java.net.URI.create("http://127.0.0.1:" + this.port + uri)).exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.kind").isEqualTo("INVALID_INPUT").jsonPath("$.trace").doesNotExist();
		this.client.put().uri(java.net.URI.create("http://127.0.0.1:" + this.port + uri)).bodyValue("x").exchange()
			.expectStatus().isBadRequest();
	}

	@ParameterizedTest(name = "the name \"{0}\" round-trips")
	@ValueSource(strings = { "with space.txt", "ünï/cødé/日本語.txt", "hash#question?percent%plus+.txt", "a&b=c;d.txt" })
	void oddNamesRoundTrip(String name) {
		byte[] data = name.getBytes(StandardCharsets.UTF_8);
		put("odd/" + name, data);
		this.client.get().uri(url("odd/" + name)).exchange()
			.expectStatus().isOk().expectBody(byte[].class).isEqualTo(data);
		this.client.get().uri((b) -> b.path("/files").queryParam("prefix", "{p}").queryParam("recursive", "true")
			.build("odd/" + name)).exchange()
			.expectBody().jsonPath("$.entries[0].path").isEqualTo("odd/" + name);
	}

	@Test
	void multipartUploadStoresEveryFile() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("path", "form/chosen.txt");
		body.part("file", new ByteArrayResource("first".getBytes()) {
			@Override
			public String getFilename() {
				return "ignored-name.txt";
			}
		}).contentType(MediaType.TEXT_PLAIN);
		body.part("file", new ByteArrayResource("second".getBytes()) {
			@Override
			public String getFilename() {
				return "../../sneaky/ünï.txt";
			}
		});
		this.client.post().uri("/files").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isCreated()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].path").isEqualTo("form/chosen.txt")
			.jsonPath("$[0].contentType").isEqualTo("text/plain")
			.jsonPath("$[1].path").isEqualTo("ünï.txt");
		this.client.get().uri("/files/form/chosen.txt").exchange().expectBody(String.class).isEqualTo("first");
		this.client.get().uri(url("ünï.txt")).exchange().expectBody(String.class).isEqualTo("second");
	}

	@Test
	void uploadsOverTheLimitAreRefusedAndNothingIsStored() {
		byte[] big = bytes(3 * 1024 * 1024, 6);
		this.client.put().uri("/files/too-big.bin").bodyValue(big).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody().jsonPath("$.status").isEqualTo(413);
		// without a Content-Length (chunked), the limit holds while streaming
		this.client.put().uri("/files/too-big-chunked.bin")
			.body(BodyInserters.fromDataBuffers(reactor.core.publisher.Flux.range(0, 48)
				.map((i) -> org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]))))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		this.client.get().uri("/files/too-big.bin").exchange().expectStatus().isNotFound();
		this.client.get().uri("/files/too-big-chunked.bin").exchange().expectStatus().isNotFound();
		assertThat(root.resolve("too-big.bin")).doesNotExist();
	}

	@Test
	void actuatorIsExposed() {
		put("act.bin", bytes(100, 7));
		this.client.get().uri("/actuator/storage").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.storages.default.scheme").isEqualTo("fs");
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.components.storage.status").isEqualTo("UP");
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/metrics/storage.operations").exchange().expectStatus().isOk();
	}

	@Test
	void theWebPageIsServed() {
		this.client.get().uri("/").exchange().expectStatus().isOk()
			.expectBody(String.class).value((html) -> assertThat(html).contains("Object storage sample"));
	}

}
