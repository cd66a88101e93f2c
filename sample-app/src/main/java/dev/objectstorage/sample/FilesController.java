package dev.objectstorage.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectMetadata;
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
		MediaType contentType = headers.getContentType();
		if (contentType != null) {
			options = options.withContentType(contentType.toString());
		}
		if (headers.getIfNoneMatch().contains("*")) {
			options = options.withIfNotExists(true);
		}
		List<String> ifMatch = headers.getIfMatch();
		if (!ifMatch.isEmpty() && !ifMatch.get(0).equals("*")) {
			options = options.withIfMatch(ifMatch.get(0));
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
				MediaType type = file.headers().getContentType();
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
		ServerHttpRequest request = exchange.getRequest();
		String path = objectPath(request);
		String rangeHeader = request.getHeaders().getFirst(HttpHeaders.RANGE);
		if (HttpMethod.HEAD.equals(request.getMethod())) {
			return this.storage.stat(path).flatMap((meta) -> {
				if (exchange.checkNotModified(meta.etag(), meta.lastModified())) {
					return exchange.getResponse().setComplete();
				}
				ByteRange range = ifRangeHolds(request, meta.etag()) ? ByteRange.parse(rangeHeader, meta.size()) : null;
				if (range != null && range.unsatisfiable()) {
					return Mono.error(new RangeNotSatisfiableException(rangeHeader, meta.size()));
				}
				respond(exchange, meta, (range != null) ? range.start() : 0,
						(range != null) ? range.length() : meta.size(), range != null);
				return exchange.getResponse().setComplete();
			});
		}
		ByteRange.Request asked = ByteRange.request(rangeHeader);
		ReadOptions options = ReadOptions.defaults();
		if (asked != null && !asked.isSuffix()) {
			options = ReadOptions.range(asked.first(), asked.length());
		}
		List<String> ifNoneMatch = request.getHeaders().getIfNoneMatch();
		if (ifNoneMatch.size() == 1 && !ifNoneMatch.get(0).equals("*")
				&& request.getHeaders().getFirst(HttpHeaders.IF_MATCH) == null) {
			// a cache revalidating its copy: let the storage answer "not modified" without sending the body
			options = options.withIfNoneMatch(ifNoneMatch.get(0));
		}
		ReadOptions first = options;
		return this.storage.open(path, first)
			.onErrorResume(StorageException.class, (ex) -> notModifiedOrRange(ex, exchange, path, first))
			.flatMap((content) -> {
				ObjectMetadata meta = content.metadata();
				if (asked == null) {
					return send(exchange, content, false);
				}
				if (!ifRangeHolds(request, meta.etag())) {
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

	/** A failed open that is an answer: 304 for a revalidation, 416 (with the size) for a range past the end. */
	private Mono<ObjectContent> notModifiedOrRange(StorageException ex, ServerWebExchange exchange, String path,
			ReadOptions options) {
		if (ex.kind() == ErrorKind.CONDITION_NOT_MATCH && options.ifNoneMatch() != null) {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.NOT_MODIFIED);
			response.getHeaders().setETag(options.ifNoneMatch());
			return response.setComplete().then(Mono.empty());
		}
		if (ex.kind() == ErrorKind.RANGE_NOT_SATISFIABLE) {
			String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.RANGE);
			return this.storage.stat(path)
				.flatMap((meta) -> Mono.error(new RangeNotSatisfiableException(header, meta.size())));
		}
		return Mono.error(ex);
	}

	/** Whether a range applies: there is no {@code If-Range}, or it names this version. */
	private static boolean ifRangeHolds(ServerHttpRequest request, String etag) {
		String ifRange = request.getHeaders().getFirst(HttpHeaders.IF_RANGE);
		return ifRange == null || ifRange.trim().equals(etag);
	}

	/**
	 * Sends an opened content: 304/412 where the request's conditions say so (the content is released
	 * then), else its headers and bytes (zero-copy where the content is a local file).
	 */
	private Mono<Void> send(ServerWebExchange exchange, ObjectContent content, boolean ranged) {
		ObjectMetadata meta = content.metadata();
		if (exchange.checkNotModified(meta.etag(), meta.lastModified())) {
			content.release();
			return exchange.getResponse().setComplete(); // 304 (or 412 for a failed If-Match), headers set by Spring
		}
		respond(exchange, meta, content.offset(), content.length(), ranged);
		return ZeroCopy.send(exchange.getResponse(), content);
	}

	/** Sets status and headers for the bytes {@code start .. start + length} of a version. */
	private static void respond(ServerWebExchange exchange, ObjectMetadata meta, long start, long length,
			boolean partial) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		headers.setETag(meta.etag());
		if (meta.lastModified() != null) {
			headers.setLastModified(meta.lastModified());
		}
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		headers.setContentType((meta.contentType() != null) ? MediaType.parseMediaType(meta.contentType())
				: MediaType.APPLICATION_OCTET_STREAM);
		if (meta.cacheControl() != null) {
			headers.setCacheControl(meta.cacheControl());
		}
		else {
			headers.setCacheControl(CacheControl.noCache());
		}
		if (exchange.getRequest().getQueryParams().containsKey("download")) { // '?download', with or without a value
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

	/**
	 * The object path of a {@code /files/...} request, decoded from the raw path. Not a
	 * {@code @PathVariable}: those drop what follows a ';' (matrix parameters), and ';' is a
	 * legal character of a file name.
	 */
	static String objectPath(ServerHttpRequest request) {
		String raw = request.getPath().pathWithinApplication().value();
		return UriUtils.decode(raw.substring(PREFIX.length()), StandardCharsets.UTF_8);
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
