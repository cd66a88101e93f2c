package dev.objectstorage.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer killed midway (the app gets SIGKILL while an upload streams into the fs storage) leaves
 * its temporary file behind; the next start sweeps it once it is older than
 * {@code storage.fs.temp-max-age}. The app runs in its own JVM, so that it can really be killed.
 */
class KilledWriterTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path root;

	@Test
	void leftoverOfAKilledUploadIsSweptAtTheNextStart() throws Exception {
		int port = freePort();
		Process app = start(port);
		Path leftover;
		try (Socket upload = new Socket("127.0.0.1", port)) {
			OutputStream out = upload.getOutputStream();
			out.write(("PUT /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(new byte[1024 * 1024]);
			out.flush();
			leftover = awaitTemporaryFile();
			app.destroyForcibly().waitFor(); // SIGKILL: no clean-up runs
		}
		finally {
			app.destroyForcibly().waitFor();
		}
		assertThat(leftover).as("what the killed writer left").exists();
		assertThat(Files.exists(this.root.resolve("big.bin"))).as("nothing published").isFalse();
		Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(25))));

		Process restarted = start(port);
		try {
			long until = System.nanoTime() + WAIT.toNanos();
			while (Files.exists(leftover) && System.nanoTime() < until) {
				Thread.sleep(100); // a bounded wait for the sweep at start, not a measure of speed
			}
			assertThat(leftover).as("swept at start").doesNotExist();
		}
		finally {
			restarted.destroyForcibly().waitFor();
		}
	}

	private Process start(int port) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--server.port=" + port, "--storage.fs.root=" + this.root,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"))
			.redirectErrorStream(true)
			.redirectOutput(this.root.resolveSibling(this.root.getFileName() + "-app-" + port + ".log").toFile())
			.start();
		long until = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < until) {
			try (Socket probe = new Socket("127.0.0.1", port)) {
				return process;
			}
			catch (IOException ex) {
				if (!process.isAlive()) {
					throw new IllegalStateException("the app did not start (exit " + process.exitValue() + ")");
				}
				Thread.sleep(100);
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException("the app did not listen on port " + port + " within " + WAIT);
	}

	private Path awaitTemporaryFile() throws Exception {
		long until = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < until) {
			try (Stream<Path> files = Files.list(this.root)) {
				Path temp = files.filter((file) -> file.getFileName().toString().startsWith(".os-tmp-"))
					.filter((file) -> file.toFile().length() > 0)
					.findFirst()
					.orElse(null);
				if (temp != null) {
					return temp;
				}
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("no temporary file appeared in " + this.root);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
