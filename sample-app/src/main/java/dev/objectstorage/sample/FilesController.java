package dev.objectstorage.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

/**
 * The file API. Bodies stream both ways: an upload goes from the request into the storage as it
 * arrives, a download from the storage into the response (from the opened local file without
 * copying, on the fs storage, still counted by the storage's metrics), so files of any size pass
 * through bounded memory.
 */
@RestController
@RequestMapping("/files")
class FilesController {

	private static final int MAX_LIST_LIMIT = 1000;

	private static final String PREFIX = "/files";

	/** How much of a refused upload is read and dropped so that the client sees the 413. */
	private static final long SWALLOW_LIMIT = 16L * 1024 * 1024;

	private final ObjectStorage storage;

	private final long maxUploadSize;

	private final CompleteBodies bodies;

	FilesController(ObjectStorage storage, SampleProperties properties, CompleteBodies bodies) {
		this.storage = storage;
		this.bodies = bodies;
		this.maxUploadSize = properties.getMaxUploadSize().toBytes();
	}

	// ---------------------------------------------------------------- upload

	/**
	 * Stores the request body. {@code If-None-Match: *} creates only; {@code If-Match: "<etag>"}
	 * replaces only that version (412 otherwise).
	 */
	@PutMapping("/{*path}")
	Mono<ResponseEntity<FileInfo>> upload(ServerHttpRequest request) {
		try {
			return store(request);
		}
		catch (MalformedHeaderException | StorageException ex) {
			return discard(request, ex);
		}
	}

	/** Refuses a request without storing it, releasing its body. */
	private static <T> Mono<T> discard(ServerHttpRequest request, RuntimeException error) {
		return request.getBody().doOnNext(DataBufferUtils::release).take(1).then(Mono.error(error));
	}

	/** The request's content type; a malformed one is the client's error. */
	static @Nullable MediaType contentType(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		if (value == null) {
			return null;
		}
		try {
			return MediaType.parseMediaType(value);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedHeaderException(HttpHeaders.CONTENT_TYPE, value);
		}
	}

	private Mono<ResponseEntity<FileInfo>> store(ServerHttpRequest request) {
		String path = objectPath(request);
		HttpHeaders headers = request.getHeaders();
		long length = headers.getContentLength();
		if (length > this.maxUploadSize) {
			// refuse before storing anything; read what is already on the way (up to a bound) so
			// that the client is listening when the 413 arrives
			Mono<ResponseEntity<FileInfo>> refuse = Mono.error(new PayloadTooLargeException(this.maxUploadSize));
			return (length - this.maxUploadSize <= SWALLOW_LIMIT)
					? request.getBody().doOnNext(DataBufferUtils::release).then(refuse) : refuse;
		}
		WriteOptions options = WriteOptions.defaults().withContentLength(Math.max(length, -1));
		MediaType contentType = contentType(headers);
		if (contentType != null) {
			options = options.withContentType(contentType.toString());
		}
		String ifNoneMatch = headers.getFirst(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch != null) {
			if (ifNoneMatch.trim().equals("*")) {
				options = options.withIfNotExists(true);
			}
			else {
				// only "create if absent" is a write condition here; entity tags are checked for form only
				Preconditions.entityTags(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
			}
		}
		String ifMatch = headers.getFirst(HttpHeaders.IF_MATCH);
		if (ifMatch != null && !ifMatch.trim().equals("*")) {
			options = options.withIfMatch(Preconditions.entityTags(HttpHeaders.IF_MATCH, ifMatch).get(0));
		}
		return this.storage.write(path, limited(this.bodies.checked(request, request.getBody())), options)
			.onErrorMap(StorageException.class, FilesController::tooLarge)
			.map((meta) -> ResponseEntity.created(location(meta)).eTag(meta.etag()).body(FileInfo.of(meta)));
	}

	/**
	 * Stores every file of a {@code multipart/form-data} request, streaming each part. A file goes
	 * under the value of a preceding {@code path} field, or under its own (sanitised) file name.
	 */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	Mono<ResponseEntity<List<FileInfo>>> uploadForm(@RequestBody Flux<PartEvent> events) {
		AtomicReference<String> nextPath = new AtomicReference<>();
		return events.windowUntil(PartEvent::isLast).concatMap((part) -> part.switchOnFirst((first, all) -> {
			PartEvent event = first.get();
			if (event instanceof FilePartEvent file) {
				String target = nextPath.getAndSet(null);
				String path = (target != null && !target.isBlank()) ? target : FileNames.sanitise(file.filename());
				WriteOptions options = WriteOptions.defaults();
				MediaType type = contentType(file.headers());
				if (type != null) {
					options = options.withContentType(type.toString());
				}
				return this.storage.write(path, limited(all.map(PartEvent::content)), options)
					.onErrorMap(StorageException.class, FilesController::tooLarge)
					.map(FileInfo::of);
			}
			if (event instanceof FormPartEvent form && "path".equals(form.name())) {
				nextPath.set(form.value());
			}
			return all.doOnNext((e) -> DataBufferUtils.release(e.content())).then(Mono.<FileInfo>empty());
		})).collectList().map((files) -> ResponseEntity.status(HttpStatus.CREATED).body(files));
	}

	/**
	 * Counts the bytes of an upload and fails it past the limit, so that the (atomic) write stores
	 * nothing. Bytes past the limit are read and dropped up to {@link #SWALLOW_LIMIT} more, so that
	 * the client reads the 413 instead of a reset connection; beyond that the upload fails at once.
	 */
	private Flux<DataBuffer> limited(Flux<DataBuffer> body) {
		return Flux.defer(() -> {
			long[] total = new long[1];
			return body.<DataBuffer>handle((buffer, sink) -> {
				total[0] += buffer.readableByteCount();
				if (total[0] <= this.maxUploadSize) {
					sink.next(buffer);
					return;
				}
				DataBufferUtils.release(buffer);
				if (total[0] - this.maxUploadSize > SWALLOW_LIMIT) {
					sink.error(new PayloadTooLargeException(this.maxUploadSize));
				}
			}).concatWith(Flux.defer(() -> (total[0] > this.maxUploadSize)
					? Flux.error(new PayloadTooLargeException(this.maxUploadSize)) : Flux.empty()));
		});
	}

	private static Throwable tooLarge(StorageException ex) {
		if (ex.getCause() instanceof CompleteBodies.IncompleteUploadException incomplete) {
			return incomplete;
		}
		return (ex.getCause() instanceof PayloadTooLargeException tooLarge) ? tooLarge : ex;
	}

	private static URI location(ObjectMetadata meta) {
		return URI.create("/files/" + UriUtils.encodePath(meta.path(), StandardCharsets.UTF_8));
	}

	// ---------------------------------------------------------------- download

	/**
	 * Sends a file with {@code ETag}, {@code Last-Modified} and {@code Accept-Ranges}; answers
	 * {@code If-None-Match} with 304, a single {@code Range} with 206 (or 416), {@code HEAD} with the
	 * headers only, and adds {@code Content-Disposition: attachment} for {@code ?download}. One call
	 * to the storage per request ({@code open} for GET, {@code stat} for HEAD), so the headers always
	 * describe the version whose bytes are sent. Two calls only where the first answer changes what
	 * to ask: a suffix range ({@code bytes=-500}) or an {@code If-Range} of another version.
	 */
	@GetMapping("/{*path}")
	Mono<Void> download(ServerWebExchange exchange) {
		return Mono.defer(() -> HttpMethod.HEAD.equals(exchange.getRequest().getMethod()) ? head(exchange)
				: get(exchange));
	}

	/** HEAD: the headers a GET would send, from one {@code stat}. */
	private Mono<Void> head(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String rangeHeader = request.getHeaders().getFirst(HttpHeaders.RANGE);
		return this.storage.stat(objectPath(request))
			.onErrorResume(StorageException.class, (ex) -> missing(ex, request))
			.flatMap((meta) -> {
				Preconditions.Outcome outcome = Preconditions.evaluate(request.getHeaders(), true, meta.etag(),
						meta.lastModified());
				if (outcome != Preconditions.Outcome.PROCEED) {
					return conditional(exchange, outcome, meta.etag());
				}
				ByteRange range = Preconditions.rangeApplies(request.getHeaders(), meta.etag(), meta.lastModified())
						? ByteRange.parse(rangeHeader, meta.size()) : null;
				if (range != null && range.unsatisfiable()) {
					return Mono.error(new RangeNotSatisfiableException(rangeHeader, meta.size()));
				}
				respond(exchange, meta, (range != null) ? range.start() : 0,
						(range != null) ? range.length() : meta.size(), range != null);
				return exchange.getResponse().setComplete();
			});
	}

	/** GET: one {@code open}, its headers and bytes from the same version. */
	private Mono<Void> get(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		String path = objectPath(request);
		String rangeHeader = headers.getFirst(HttpHeaders.RANGE);
		ByteRange.Request asked = ByteRange.request(rangeHeader);
		ReadOptions options = ReadOptions.defaults();
		if (asked != null && !asked.isSuffix()) {
			options = ReadOptions.range(asked.first(), asked.length());
		}
		String revalidated = revalidatedTag(headers);
		if (revalidated != null) {
			// a cache revalidating its copy: let the storage answer "not modified" without sending the body
			options = options.withIfNoneMatch(revalidated);
		}
		ReadOptions first = options;
		return this.storage.open(path, first)
			.onErrorResume(StorageException.class, (ex) -> notModifiedOrRange(ex, exchange, path, first))
			.flatMap((content) -> {
				ObjectMetadata meta = content.metadata();
				Preconditions.Outcome outcome;
				boolean rangeApplies;
				try {
					outcome = Preconditions.evaluate(headers, true, meta.etag(), meta.lastModified());
					rangeApplies = asked != null && Preconditions.rangeApplies(headers, meta.etag(), meta.lastModified());
				}
				catch (RuntimeException ex) {
					content.release();
					throw ex;
				}
				if (outcome != Preconditions.Outcome.PROCEED) {
					content.release();
					return conditional(exchange, outcome, meta.etag());
				}
				if (asked == null) {
					return send(exchange, content, false);
				}
				if (!rangeApplies) {
					// If-Range names another version: send all of this one (asked for again)
					content.release();
					return this.storage.open(path).flatMap((whole) -> send(exchange, whole, false));
				}
				ByteRange range = ByteRange.parse(rangeHeader, meta.size());
				if (range == null || range.unsatisfiable()) {
					content.release();
					return Mono.error(new RangeNotSatisfiableException(rangeHeader, meta.size()));
				}
				if (asked.isSuffix()) {
					// the size was needed to place the suffix: ask again for those bytes of this version
					content.release();
					ReadOptions suffix = ReadOptions.range(range.start(), range.length()).withIfMatch(meta.etag());
					return this.storage.open(path, suffix).flatMap((pinned) -> send(exchange, pinned, true));
				}
				return send(exchange, content, true);
			});
	}

	/**
	 * The entity tag of a plain revalidation ({@code If-None-Match} with one strong tag and no other
	 * condition), which the storage can answer without sending the body; {@code null} otherwise.
	 */
	private static @Nullable String revalidatedTag(HttpHeaders headers) {
		String ifNoneMatch = headers.getFirst(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch == null || headers.getFirst(HttpHeaders.IF_MATCH) != null
				|| headers.getFirst(HttpHeaders.IF_UNMODIFIED_SINCE) != null || ifNoneMatch.trim().equals("*")) {
			return null;
		}
		List<String> tags = Preconditions.entityTags(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
		return (tags.size() == 1 && !tags.get(0).startsWith("W/")) ? tags.get(0) : null;
	}

	/** 304 with the version's tag, or 412 as a JSON problem. */
	private static Mono<Void> conditional(ServerWebExchange exchange, Preconditions.Outcome outcome, String etag) {
		if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.NOT_MODIFIED);
			response.getHeaders().setETag(etag);
			return response.setComplete();
		}
		return Mono.error(StorageException.conditionNotMatch(Operation.READ, objectPath(exchange.getRequest()),
				"a precondition of the request (If-Match or If-Unmodified-Since) fails"));
	}

	/** A missing object fails an {@code If-Match} (RFC 9110: 412), else it is a 404. */
	private static <T> Mono<T> missing(StorageException ex, ServerHttpRequest request) {
		if (ex.kind() == ErrorKind.NOT_FOUND && request.getHeaders().getFirst(HttpHeaders.IF_MATCH) != null) {
			return Mono.error(StorageException.conditionNotMatch(Operation.READ, ex.path(), "If-Match: no such file"));
		}
		return Mono.error(ex);
	}

	/** A failed open that is an answer: 304 for a revalidation, 416 (with the size) for a range past the end. */
	private Mono<ObjectContent> notModifiedOrRange(StorageException ex, ServerWebExchange exchange, String path,
			ReadOptions options) {
		if (ex.kind() == ErrorKind.CONDITION_NOT_MATCH && options.ifNoneMatch() != null) {
			return conditional(exchange, Preconditions.Outcome.NOT_MODIFIED, options.ifNoneMatch()).then(Mono.empty());
		}
		if (ex.kind() == ErrorKind.RANGE_NOT_SATISFIABLE) {
			String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.RANGE);
			return this.storage.stat(path)
				.flatMap((meta) -> Mono.error(new RangeNotSatisfiableException(header, meta.size())));
		}
		return missing(ex, exchange.getRequest());
	}

	/** Sends an opened content's headers and bytes (zero-copy where the content is a local file). */
	private Mono<Void> send(ServerWebExchange exchange, ObjectContent content, boolean ranged) {
		respond(exchange, content.metadata(), content.offset(), content.length(), ranged);
		return ZeroCopy.send(exchange.getResponse(), content);
	}

	/**
	 * Sets status and headers for the bytes {@code start .. start + length} of a version. Stored files
	 * never run in the app's origin: they come with {@code nosniff} and a sandboxing Content Security
	 * Policy, and any type a browser could run (HTML, SVG, XML, scripts, anything unknown) is sent as
	 * an attachment; images, audio, video, PDF and plain text may show inline.
	 */
	private static void respond(ServerWebExchange exchange, ObjectMetadata meta, long start, long length,
			boolean partial) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		headers.setETag(meta.etag());
		if (meta.lastModified() != null) {
			headers.setLastModified(meta.lastModified());
		}
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		MediaType type = storedType(meta.contentType());
		headers.setContentType(type);
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
		if (meta.cacheControl() != null) {
			headers.setCacheControl(meta.cacheControl());
		}
		else {
			headers.setCacheControl(CacheControl.noCache());
		}
		if (exchange.getRequest().getQueryParams().containsKey("download") || !InlineTypes.isInline(type)) {
			headers.setContentDisposition(
					ContentDisposition.attachment().filename(fileName(meta.path()), StandardCharsets.UTF_8).build());
		}
		if (partial) {
			response.setStatusCode(HttpStatus.PARTIAL_CONTENT);
			headers.set(HttpHeaders.CONTENT_RANGE,
					"bytes " + start + "-" + (start + length - 1) + "/" + meta.size());
		}
		headers.setContentLength(length);
	}

	/** The stored content type, or {@code application/octet-stream} where none (or garbage) was stored. */
	private static MediaType storedType(@Nullable String contentType) {
		if (contentType != null) {
			try {
				return MediaType.parseMediaType(contentType);
			}
			catch (IllegalArgumentException ex) {
				// stored by another client: serve the bytes as bytes
			}
		}
		return MediaType.APPLICATION_OCTET_STREAM;
	}

	/**
	 * The object path of a {@code /files/...} request, decoded from the raw path. Not a
	 * {@code @PathVariable}: those drop what follows a ';' (matrix parameters), and ';' is a
	 * legal character of a file name.
	 */
	static String objectPath(ServerHttpRequest request) {
		String raw = request.getPath().pathWithinApplication().value();
		return StrictPaths.decode(raw.substring(PREFIX.length()));
	}

	private static String fileName(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}

	// ---------------------------------------------------------------- delete, list

	@DeleteMapping("/{*path}")
	Mono<ResponseEntity<Void>> delete(ServerHttpRequest request) {
		return this.storage.delete(objectPath(request)).thenReturn(ResponseEntity.noContent().build());
	}

	/**
	 * Lists files, a page at a time: {@code nextStartAfter} is the {@code startAfter} of the next page.
	 */
	@GetMapping
	Mono<ListResult> list(@RequestParam(defaultValue = "") String prefix,
			@RequestParam(defaultValue = "false") boolean recursive,
			@RequestParam(required = false) @Nullable String startAfter,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LIST_LIMIT) {
			return Mono.error(StorageException.invalidInput("limit must be between 1 and " + MAX_LIST_LIMIT + ", was " + limit));
		}
		ListOptions options = ListOptions.defaults().withRecursive(recursive).withStartAfter(startAfter).withLimit(limit + 1);
		return this.storage.list(prefix, options).map(FileInfo::of).collectList().map((entries) -> {
			boolean more = entries.size() > limit;
			List<FileInfo> page = more ? entries.subList(0, limit) : entries;
			return new ListResult(page, more ? page.get(page.size() - 1).path() : null);
		});
	}

	/**
	 * One page of a listing.
	 *
	 * @param entries the files and directories
	 * @param nextStartAfter where the next page starts, or {@code null} on the last page
	 */
	record ListResult(List<FileInfo> entries, @Nullable String nextStartAfter) {
	}

}
