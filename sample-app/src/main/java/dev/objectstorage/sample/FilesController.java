package dev.objectstorage.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ZeroCopyHttpOutputMessage;
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
 * arrives, a download from the storage into the response (from a local file without copying, on
 * the fs storage), so files of any size pass through bounded memory.
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

	FilesController(ObjectStorage storage, SampleProperties properties) {
		this.storage = storage;
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
		return this.storage.write(path, limited(request.getBody()), options)
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
		return (ex.getCause() instanceof PayloadTooLargeException tooLarge) ? tooLarge : ex;
	}

	private static URI location(ObjectMetadata meta) {
		return URI.create("/files/" + UriUtils.encodePath(meta.path(), StandardCharsets.UTF_8));
	}

	// ---------------------------------------------------------------- download

	/**
	 * Sends a file with {@code ETag}, {@code Last-Modified} and {@code Accept-Ranges}; answers
	 * {@code If-None-Match} with 304, a single {@code Range} with 206 (or 416), {@code HEAD} with the
	 * headers only, and adds {@code Content-Disposition: attachment} for {@code ?download}.
	 */
	@GetMapping("/{*path}")
	Mono<Void> download(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String path = objectPath(request);
		boolean download = request.getQueryParams().containsKey("download"); // '?download', with or without a value
		ServerHttpResponse response = exchange.getResponse();
		return this.storage.stat(path).flatMap((meta) -> {
			if (exchange.checkNotModified(meta.etag(), meta.lastModified())) {
				return response.setComplete(); // 304 (or 412 for a failed If-Match), headers set by Spring
			}
			String rangeHeader = request.getHeaders().getFirst(HttpHeaders.RANGE);
			String ifRange = request.getHeaders().getFirst(HttpHeaders.IF_RANGE);
			ByteRange range = (ifRange == null || ifRange.trim().equals(meta.etag()))
					? ByteRange.parse(rangeHeader, meta.size()) : null;
			if (range != null && range.unsatisfiable()) {
				return Mono.error(new RangeNotSatisfiableException(rangeHeader, meta.size()));
			}
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
			if (download) {
				headers.setContentDisposition(
						ContentDisposition.attachment().filename(fileName(meta.path()), StandardCharsets.UTF_8).build());
			}
			long start = 0;
			long length = meta.size();
			if (range != null) {
				response.setStatusCode(HttpStatus.PARTIAL_CONTENT);
				headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + meta.size());
				start = range.start();
				length = range.length();
			}
			headers.setContentLength(length);
			if (HttpMethod.HEAD.equals(request.getMethod())) {
				return response.setComplete();
			}
			return body(path, meta, start, length, response);
		});
	}

	/** Zero-copy from the file where the storage keeps one, streamed buffers otherwise. */
	private Mono<Void> body(String path, ObjectMetadata meta, long start, long length, ServerHttpResponse response) {
		return Mono.fromCallable(() -> this.storage.resource(path)).subscribeOn(Schedulers.boundedElastic())
			.flatMap((Resource resource) -> {
				if (resource.isFile() && response instanceof ZeroCopyHttpOutputMessage zeroCopy) {
					return Mono.fromCallable(resource::getFile)
						.flatMap((file) -> zeroCopy.writeWith(file.toPath(), start, length));
				}
				// pinned to the version whose headers went out: never splice two versions
				ReadOptions options = ReadOptions.range(start, length).withIfMatch(meta.etag());
				return response.writeWith(this.storage.read(path, options));
			});
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
