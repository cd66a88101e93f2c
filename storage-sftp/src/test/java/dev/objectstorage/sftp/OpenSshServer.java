package dev.objectstorage.sftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * OpenSSH's real server for the tests: Debian's {@code /usr/sbin/sshd} (package
 * {@code openssh-server}), started once per JVM on a free port of 127.0.0.1 with a configuration of
 * its own in a temporary directory: a generated host key, a generated client key pair in its own
 * {@code authorized_keys} file, public key authentication only, no PAM, {@code internal-sftp}, only
 * the current user allowed. It is stopped when the JVM exits.
 * <pre>{@code
 * OpenSshServer server = OpenSshServer.getOrSkip();
 * StorageBackend backend = new SftpBackend(server.settings("my-root"));
 * }</pre>
 * {@link #getOrSkip()} skips the calling test when sshd is missing or cannot start, unless the
 * environment variable {@code STORAGE_TEST_REQUIRE_SERVERS} is {@code true} (as on CI), where it
 * fails instead.
 */
public final class OpenSshServer {

	/** Where Debian installs the server. */
	public static final Path SSHD = Path.of("/usr/sbin/sshd");

	private static OpenSshServer instance;

	private static String unavailable;

	private final Path directory;

	private final Process process;

	private final int port;

	private final String username = System.getProperty("user.name");

	private final KeyPair clientKey = TestKeys.generate();

	private final Path knownHosts;

	private final Path dataDirectory;

	private OpenSshServer() throws IOException, InterruptedException {
		this.directory = Files.createTempDirectory("openssh-sftp-").toRealPath();
		this.dataDirectory = Files.createDirectories(this.directory.resolve("data"));
		KeyPair hostKey = TestKeys.generate();
		Path hostKeyFile = TestKeys.writePrivate(this.directory.resolve("host_key"), TestKeys.privateKeyText(hostKey));
		Path authorizedKeys = this.directory.resolve("authorized_keys");
		Files.writeString(authorizedKeys, TestKeys.publicKeyEntry(this.clientKey.getPublic()) + "\n",
				StandardCharsets.US_ASCII);
		this.port = freePort();
		this.knownHosts = this.directory.resolve("known_hosts");
		Files.writeString(this.knownHosts, TestKeys.knownHostsLine(this.port, hostKey.getPublic()),
				StandardCharsets.US_ASCII);
		boolean root = "root".equals(this.username);
		String config = String.join("\n", "ListenAddress 127.0.0.1", "Port " + this.port, "HostKey " + hostKeyFile,
				"PidFile " + this.directory.resolve("sshd.pid"), "AuthorizedKeysFile " + authorizedKeys,
				"PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
				"UsePAM no", "StrictModes no", "Subsystem sftp internal-sftp", "AllowUsers " + this.username,
				root ? "PermitRootLogin prohibit-password" : "", "MaxSessions 20", "MaxStartups 100",
				"LogLevel ERROR", "");
		Path configFile = this.directory.resolve("sshd_config");
		Files.writeString(configFile, config, StandardCharsets.US_ASCII);
		Path privsep = Path.of("/run/sshd"); // Debian's sshd refuses to start without it
		if (!Files.isDirectory(privsep)) {
			try {
				Files.createDirectories(privsep);
			}
			catch (IOException ex) {
				// sshd will say what it misses
			}
		}
		Path log = this.directory.resolve("sshd.log");
		this.process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (!accepts(this.port)) {
			if (!this.process.isAlive()) {
				throw new IOException("sshd exited with " + this.process.exitValue() + ": " + Files.readString(log));
			}
			if (System.nanoTime() > deadline) {
				this.process.destroyForcibly();
				throw new IOException("sshd did not accept connections within 15 s: " + Files.readString(log));
			}
			Thread.sleep(50);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
	}

	/**
	 * The server of this JVM, started on first use.
	 * @return the server
	 * @throws IllegalStateException if sshd is missing or cannot start
	 */
	public static synchronized OpenSshServer get() {
		if (instance == null) {
			if (unavailable != null) {
				throw new IllegalStateException(unavailable);
			}
			if (!Files.isExecutable(SSHD)) {
				unavailable = "openssh-server not installed: apt-get install openssh-server (" + SSHD + " is missing)";
				throw new IllegalStateException(unavailable);
			}
			try {
				instance = new OpenSshServer();
			}
			catch (IOException | RuntimeException ex) {
				unavailable = "openssh-server could not start (" + ex.getMessage()
						+ "); it needs root, or apt-get install openssh-server";
				throw new IllegalStateException(unavailable, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while starting sshd", ex);
			}
		}
		return instance;
	}

	/**
	 * The server of this JVM; skips the calling test if it cannot run, or fails it when the
	 * environment variable {@code STORAGE_TEST_REQUIRE_SERVERS} is {@code true}.
	 * @return the server
	 */
	public static OpenSshServer getOrSkip() {
		try {
			return get();
		}
		catch (IllegalStateException ex) {
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				return Assertions.fail("openssh-server not installed: apt-get install openssh-server ("
						+ ex.getMessage() + ")", ex);
			}
			Assumptions.abort("Skipped, OpenSSH's sshd is not available: " + ex.getMessage());
			return null;
		}
	}

	/** The port on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** The user that logs in (the one running the tests). */
	public String username() {
		return this.username;
	}

	/** The {@code known_hosts} file that lists the server's host key. */
	public Path knownHosts() {
		return this.knownHosts;
	}

	/** A local directory (served as is, OpenSSH does not confine) under which tests keep their roots. */
	public Path dataDirectory() {
		return this.dataDirectory;
	}

	/** The throwaway private key of the user, in OpenSSH's text format. */
	public String privateKey() {
		return TestKeys.privateKeyText(this.clientKey);
	}

	/**
	 * Settings for a storage rooted at {@code root} below {@link #dataDirectory()}.
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
			.privateKey(privateKey())
			.knownHosts(this.knownHosts)
			.root(this.dataDirectory.resolve(root).toString());
	}

	private void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
		}
		EmbeddedSftpServer.deleteTree(this.directory);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
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
