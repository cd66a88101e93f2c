package dev.objectstorage.sample;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the app (what SIGTERM does: the context closes, the graceful shutdown waits, then the
 * server stops) with uploads still in flight stores none of them: neither one that declared more
 * bytes than it sent, nor a chunked one without its last chunk. A complete upload is kept.
 */
class ShutdownTests {

	@TempDir
	Path root;

	@Test
	void uploadsCutAtShutdownAreNeverPublished() throws Exception {
		ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class, "--server.port=0",
				"--storage.fs.root=" + this.root, "--spring.lifecycle.timeout-per-shutdown-phase=1s",
				"--server.shutdown=graceful");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (Socket complete = new Socket("127.0.0.1", port);
				Socket declared = new Socket("127.0.0.1", port);
				Socket chunked = new Socket("127.0.0.1", port)) {
			send(complete, "PUT /files/complete.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello");
			assertThat(new String(complete.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
				.isEqualTo("HTTP/1.1 201");
			send(declared, "PUT /files/declared.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n"
					+ "x".repeat(1000));
			send(chunked, "PUT /files/chunked.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "3e8\r\n" + "y".repeat(1000) + "\r\n");
			Thread.sleep(500); // let the server take the bytes sent so far (no measure of speed: any pause will do)
			context.close(); // graceful shutdown: waits 1 s for the stalled uploads, then stops the server
		}
		finally {
			context.close();
		}
		try (Stream<Path> files = Files.walk(this.root)) {
			assertThat(files.filter(Files::isRegularFile).map((file) -> this.root.relativize(file).toString()))
				.containsExactly("complete.txt");
		}
	}

	private static void send(Socket socket, String text) throws Exception {
		OutputStream out = socket.getOutputStream();
		out.write(text.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

}
