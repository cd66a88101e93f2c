package dev.objectstorage.autoconfigure.observation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.layer.StorageObservationConvention;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application with Spring Boot's tracing (Brave): a download served from storage is a
 * span {@code storage read} inside the request's trace, a child of the request's span.
 */
@SpringBootTest(classes = StorageTracingIntegrationTests.TracedApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "storage.type=memory", "storage.observations.include-path=true",
				"management.tracing.sampling.probability=1.0", "server.address=127.0.0.1" })
@AutoConfigureTracing
class StorageTracingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final Queue<MutableSpan> spans = new ConcurrentLinkedQueue<>();

	@LocalServerPort
	int port;

	@Autowired
	ObjectStorage storage;

	@Test
	void aDownloadIsASpanInTheRequestsTrace() throws InterruptedException {
		this.storage.write("doc.txt", "traced".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
		String body = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(TIMEOUT)
			.build()
			.get()
			.uri("/download/doc.txt")
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).isEqualTo("traced");

		MutableSpan read = awaitSpan("storage read");
		MutableSpan request = awaitSpan("http get /download/{name}");
		assertThat(read.traceId()).isEqualTo(request.traceId());
		assertThat(read.parentId()).isEqualTo(request.id());
		assertThat(read.tags()).containsEntry("storage", "default")
			.containsEntry("operation", "read")
			.containsEntry("outcome", "success")
			.containsEntry("path", "doc.txt");
		// the write before the request is a trace of its own
		MutableSpan write = awaitSpan("storage write");
		assertThat(write.traceId()).isNotEqualTo(request.traceId());
		assertThat(StorageObservationConvention.NAME).isEqualTo("storage.operation");
	}

	private static MutableSpan awaitSpan(String name) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			Optional<MutableSpan> span = spans.stream().filter((s) -> name.equals(s.name())).findFirst();
			if (span.isPresent()) {
				return span.get();
			}
			assertThat(System.nanoTime()).as("a span named '%s' among %s", name, names()).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private static List<String> names() {
		return spans.stream().map(MutableSpan::name).toList();
	}

	@SpringBootApplication
	static class TracedApplication {

		@Bean
		SpanHandler recordingSpanHandler() {
			return new SpanHandler() {
				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					spans.add(span);
					return true;
				}
			};
		}

		@RestController
		static class DownloadController {

			private final ObjectStorage storage;

			DownloadController(ObjectStorage storage) {
				this.storage = storage;
			}

			@GetMapping("/download/{name}")
			Flux<DataBuffer> download(@PathVariable String name) {
				return this.storage.read(name);
			}

		}

	}

}
