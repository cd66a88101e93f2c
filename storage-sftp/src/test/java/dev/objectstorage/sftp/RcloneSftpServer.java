package dev.objectstorage.sftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * rclone's SFTP server for the tests: {@code rclone serve sftp} (Debian package {@code rclone},
 * 1.60), started once per JVM on a free port of 127.0.0.1, serving a data directory of its own
 * with a password login, a host key made by {@code ssh-keygen} and an empty rclone configuration,
 * all in a temporary directory; {@code known_hosts} is written from the host key. It is stopped by
 * its PID when the JVM exits.
 * <p>
 * rclone's server (Go's {@code pkg/sftp} request server over rclone's VFS) answers
 * {@code hardlink@openssh.com} with OK but creates no link, and its SFTP version 3 rename replaces
 * an existing file: it has no atomic create-if-absent.
 * <pre>{@code
 * RcloneSftpServer server = RcloneSftpServer.getOrSkip();
 * StorageBackend backend = new SftpBackend(server.settings("my-root"));
 * }</pre>
 * {@link #getOrSkip()} skips the calling test when rclone is missing or cannot start, unless the
 * environment variable {@code STORAGE_TEST_REQUIRE_SERVERS} is {@code true} (as on CI), where it
 * fails instead.
 */
public final class RcloneSftpServer {

	/** Where Debian installs rclone. */
	public static final Path RCLONE = Path.of("/usr/bin/rclone");

	private static final String INSTALL_HINT = "apt-get install rclone";

	private static RcloneSftpServer instance;

	private static String unavailable;

	private final Path directory;

	private final Path dataDirectory;

	private final Process process;

	private final int port;

	private final String username = "tck";

	private final String password = UUID.randomUUID().toString();

	private final Path knownHosts;

	private RcloneSftpServer() throws IOException, InterruptedException {
		this.directory = Files.createTempDirectory("rclone-sftp-").toRealPath();
		this.dataDirectory = Files.createDirectories(this.directory.resolve("data"));
		Path hostKey = this.directory.resolve("host_key");
		Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rclone-test",
				"-f", hostKey.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("ssh-keygen.log").toFile())
			.start();
		if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
			keygen.destroyForcibly();
			throw new IOException("ssh-keygen failed: " + Files.readString(this.directory.resolve("ssh-keygen.log")));
		}
		String[] publicKey = Files.readString(hostKey.resolveSibling("host_key.pub"), StandardCharsets.US_ASCII)
			.trim()
			.split("\\s+");
		Path config = Files.writeString(this.directory.resolve("rclone.conf"), "");
		// an empty list of keys of its own, so that rclone never reads ~/.ssh/authorized_keys
		Path authorizedKeys = Files.writeString(this.directory.resolve("authorized_keys"), "");
		this.port = freePort();
		this.knownHosts = this.directory.resolve("known_hosts");
		Files.writeString(this.knownHosts, "[127.0.0.1]:" + this.port + " " + publicKey[0] + " " + publicKey[1] + "\n",
				StandardCharsets.US_ASCII);
		Path log = this.directory.resolve("rclone.log");
		// --dir-cache-time 1s: rclone's VFS keeps a directory's listing for 5 minutes by default, and a
		// listing read while many files of a new directory are written can miss one just closed: it
		// then answers NO_SUCH_FILE for that file until the listing is read again (seen as writes
		// failing on a busy machine). The backend looks again for about 5 s (RemoteFiles.BLIND_ATTEMPTS):
		// with 1 s, rclone reads the directory again within that time. Users of rclone serve sftp
		// under concurrent writes want the same flag.
		this.process = new ProcessBuilder(RCLONE.toString(), "serve", "sftp", this.dataDirectory.toString(), "--addr",
				"127.0.0.1:" + this.port, "--user", this.username, "--pass", this.password, "--key", hostKey.toString(),
				"--authorized-keys", authorizedKeys.toString(), "--config", config.toString(), "--cache-dir",
				this.directory.resolve("cache").toString(), "--dir-cache-time", "1s", "--log-level", "NOTICE")
			.directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (!accepts(this.port)) {
			if (!this.process.isAlive()) {
				throw new IOException("rclone exited with " + this.process.exitValue() + ": " + Files.readString(log));
			}
			if (System.nanoTime() > deadline) {
				stopProcess();
				throw new IOException("rclone did not accept connections within 15 s: " + Files.readString(log));
			}
			Thread.sleep(50);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
	}

	/**
	 * The server of this JVM, started on first use.
	 * @return the server
	 * @throws IllegalStateException if rclone is missing or cannot start
	 */
	public static synchronized RcloneSftpServer get() {
		if (instance == null) {
			if (unavailable != null) {
				throw new IllegalStateException(unavailable);
			}
			if (!Files.isExecutable(RCLONE)) {
				unavailable = "rclone not installed: " + INSTALL_HINT + " (" + RCLONE + " is missing)";
				throw new IllegalStateException(unavailable);
			}
			try {
				instance = new RcloneSftpServer();
			}
			catch (IOException | RuntimeException ex) {
				unavailable = "rclone serve sftp could not start (" + ex.getMessage() + "); " + INSTALL_HINT
						+ " (and openssh-client for ssh-keygen)";
				throw new IllegalStateException(unavailable, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while starting rclone", ex);
			}
		}
		return instance;
	}

	/**
	 * The server of this JVM; skips the calling test if it cannot run, or fails it when the
	 * environment variable {@code STORAGE_TEST_REQUIRE_SERVERS} is {@code true}.
	 * @return the server
	 */
	public static RcloneSftpServer getOrSkip() {
		try {
			return get();
		}
		catch (IllegalStateException ex) {
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				return Assertions.fail("rclone serve sftp is required (" + INSTALL_HINT + "): " + ex.getMessage(), ex);
			}
			Assumptions.abort("Skipped, rclone serve sftp is not available (" + INSTALL_HINT + "): " + ex.getMessage());
			return null;
		}
	}

	/** The port on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** The process id of the server. */
	public long pid() {
		return this.process.pid();
	}

	/** The user that logs in. */
	public String username() {
		return this.username;
	}

	/** The {@code known_hosts} file that lists the server's host key. */
	public Path knownHosts() {
		return this.knownHosts;
	}

	/** The local directory that the server serves as {@code /}. */
	public Path dataDirectory() {
		return this.dataDirectory;
	}

	/**
	 * Settings for a storage rooted at {@code /root} on the server ({@link #dataDirectory()} here).
	 * @param root the root, relative to the data directory
	 * @return the settings
	 */
	public SftpSettings settings(String root) {
		return settingsBuilder(root).build();
	}

	/**
	 * A settings builder like {@link #settings(String)}.
	 * @param root the root, relative to the data directory
	 * @return the builder
	 */
	public SftpSettings.Builder settingsBuilder(String root) {
		return SftpSettings.builder()
			.host("127.0.0.1")
			.port(this.port)
			.username(this.username)
			.password(this.password)
			.knownHosts(this.knownHosts)
			.root("/" + root);
	}

	private void stop() {
		stopProcess();
		EmbeddedSftpServer.deleteTree(this.directory);
	}

	/** Stops the server by its PID: politely first, then for good. */
	private void stopProcess() {
		ProcessHandle.of(this.process.pid()).ifPresent((handle) -> {
			handle.destroy();
			try {
				handle.onExit().get(5, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				handle.destroyForcibly();
			}
		});
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
