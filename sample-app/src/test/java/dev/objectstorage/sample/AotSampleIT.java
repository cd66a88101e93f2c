package dev.objectstorage.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample after Spring AOT processing ({@code process-aot} in the build), started on the
 * JVM with {@code -Dspring.aot.enabled=true} as its own process: the starter's beans come from the
 * generated code, the storage's settings from the command line, and an upload and a download (whole
 * and ranged) work. Run by failsafe after {@code package}.
 */
class AotSampleIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path directory;

	private Process app;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.app != null) {
			this.app.destroy();
			if (!this.app.waitFor(30, TimeUnit.SECONDS)) {
				this.app.destroyForcibly();
			}
		}
	}

	@Test
	void theAotProcessedSampleStoresAndServesAFile() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the packaged sample (run with mvn verify)").exists();
		int port = freePort();
		Path data = Files.createDirectories(this.directory.resolve("data"));
		Path log = this.directory.resolve("app.log");
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Dspring.aot.enabled=true", "-Xmx256m", "-jar",
				jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1", "--storage.fs.root=" + data,
				"--spring.main.banner-mode=off"));
		this.app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		URI base = URI.create("http://127.0.0.1:" + port);
		awaitStarted(http, base, log);
		assertThat(Files.readString(log)).contains("AOT-processed");

		String body = "stored by the AOT-processed sample";
		HttpResponse<String> put = http.send(HttpRequest.newBuilder(base.resolve("/files/aot/hello.txt"))
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
		assertThat(data.resolve("aot/hello.txt")).hasContent(body);

		HttpResponse<String> get = http.send(HttpRequest.newBuilder(base.resolve("/files/aot/hello.txt"))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.body()).isEqualTo(body);
		assertThat(get.headers().firstValue("ETag")).isPresent();

		HttpResponse<String> range = http.send(HttpRequest.newBuilder(base.resolve("/files/aot/hello.txt"))
			.header("Range", "bytes=10-15")
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(range.statusCode()).isEqualTo(206);
		assertThat(range.body()).isEqualTo(body.substring(10, 16));

		HttpResponse<String> actuator = http.send(HttpRequest.newBuilder(base.resolve("/actuator/storage/default"))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(actuator.statusCode()).isEqualTo(200);
		assertThat(actuator.body()).contains("\"scheme\":\"fs\"").contains(data.toUri().toString());
	}

	private void awaitStarted(HttpClient http, URI base, Path log) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			assertThat(this.app.isAlive()).as("the sample is running: %s", Files.readString(log)).isTrue();
			try {
				HttpResponse<Void> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			assertThat(System.nanoTime()).as("started within %s: %s", TIMEOUT, Files.readString(log))
				.isLessThan(deadline);
			Thread.sleep(200);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
