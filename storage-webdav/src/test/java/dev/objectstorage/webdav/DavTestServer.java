package dev.objectstorage.webdav;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * What the test helpers for the WebDAV servers besides httpd share ({@link LighttpdServer},
 * {@link NginxServer}, {@link RcloneWebDavServer}, {@link NodeWebDavServer}): a directory of its own
 * for the generated configuration, data, pid file and logs; a free port of 127.0.0.1; a throwaway
 * user for HTTP Basic authentication with a random password; a start that waits for the port; a
 * stop by the PID of the process the helper started (at the JVM's exit); and a check that skips
 * the calling test with an install hint when the server is missing, or fails it when the
 * environment variable {@code STORAGE_TEST_REQUIRE_SERVERS} is {@code true} (as on CI).
 */
abstract class DavTestServer {

	/** The user of the Basic-authenticated area. */
	static final String USERNAME = "tck-user";

	private final String name;

	private final Path directory;

	private final String password;

	private int port;

	private Process process;

	DavTestServer(String name) {
		this.name = name;
		try {
			this.directory = Files.createTempDirectory(name + "-webdav-");
			for (String sub : List.of("logs", "run", "data", "tmp")) {
				Files.createDirectories(this.directory.resolve(sub));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
	}

	/**
	 * Skips the calling test when the server is not installed, or fails it when
	 * {@code STORAGE_TEST_REQUIRE_SERVERS=true}.
	 * @param installed whether it is installed
	 * @param hint how to install it
	 */
	static void require(boolean installed, String hint) {
		if (!installed) {
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				throw new IllegalStateException(hint);
			}
			Assumptions.abort(hint);
		}
	}

	/** Writes the configuration for the port and returns the command that runs the server in the foreground. */
	abstract List<String> prepare(int port) throws IOException, InterruptedException;

	/** The base URL of the served (authenticated) area, ending in {@code /}. */
	abstract String basePath();

	/** Starts the server; tries a few ports. */
	final void start() {
		try {
			for (int attempt = 0; attempt < 5 && this.process == null; attempt++) {
				int candidatePort = freePort();
				List<String> command = prepare(candidatePort);
				Process candidate = new ProcessBuilder(command).directory(this.directory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("logs/console.log").toFile()))
					.start();
				if (awaitPort(candidate, candidatePort)) {
					this.process = candidate;
					this.port = candidatePort;
				}
				else {
					stop(candidate);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting " + this.name, ex);
		}
		if (this.process == null) {
			throw new IllegalStateException(this.name + " did not start; its logs:\n" + logs());
		}
		Process started = this.process;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stop(started);
			deleteQuietly(this.directory);
		}, this.name + "-webdav-stop"));
	}

	/** The test's own directory of this server. */
	final Path directory() {
		return this.directory;
	}

	/** The directory that holds the served files. */
	final Path data() {
		return this.directory.resolve("data");
	}

	final int port() {
		return this.port;
	}

	final String password() {
		return this.password;
	}

	/**
	 * Settings for a storage under the given root, with the right credentials.
	 * @param root the root collection (created on the first write)
	 * @return the settings
	 */
	WebDavSettings settings(String root) {
		return settingsBuilder(root).build();
	}

	/**
	 * A builder of the settings for a storage under the given root, with the right credentials.
	 * @param root the root collection
	 * @return the builder
	 */
	WebDavSettings.Builder settingsBuilder(String root) {
		return WebDavSettings.builder("http://127.0.0.1:" + this.port + basePath())
			.root(root)
			.credentials(USERNAME, this.password);
	}

	/** The server's logs, for diagnostics. */
	final String logs() {
		StringBuilder text = new StringBuilder();
		try (Stream<Path> files = Files.list(this.directory.resolve("logs"))) {
			for (Path file : (Iterable<Path>) files::iterator) {
				text.append("== ").append(file.getFileName()).append('\n').append(Files.readString(file));
			}
		}
		catch (IOException ex) {
			// not written (yet)
		}
		return text.toString();
	}

	/** Whether an executable file exists. */
	static boolean executable(Path file) {
		return Files.isExecutable(file);
	}

	/** Whether a command runs and exits with 0. */
	static boolean runs(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return false;
			}
			return process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static String quote(Path path) {
		return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean awaitPort(Process process, int port) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				return false;
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return true;
			}
			catch (IOException ex) {
				Thread.sleep(50);
			}
		}
		return false;
	}

	/** Stops the process by its PID (SIGTERM, then SIGKILL), and any children it has. */
	private static void stop(Process process) {
		List<ProcessHandle> children = process.descendants().toList();
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		children.forEach(ProcessHandle::destroyForcibly);
	}

	private static void deleteQuietly(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// best effort at exit
				}
			});
		}
		catch (IOException ex) {
			// best effort at exit
		}
	}

}
