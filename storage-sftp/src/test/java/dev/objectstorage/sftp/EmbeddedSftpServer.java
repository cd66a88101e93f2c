package dev.objectstorage.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server for the tests: Apache MINA SSHD's, embedded, on a free port of 127.0.0.1,
 * serving a temporary directory as {@code /} to one user who logs in with a throwaway password or
 * a throwaway key pair; its host key is generated too, and listed in a {@code known_hosts} file, so
 * that clients check it strictly. {@link #get()} starts one per JVM, stopped when the JVM exits;
 * {@link #start()} starts a dedicated one that the caller closes.
 * <pre>{@code
 * StorageBackend backend = new SftpBackend(EmbeddedSftpServer.get().settings("/my-root"));
 * }</pre>
 * It counts the SFTP channels open at once, so that tests can check a pool's bound.
 */
public final class EmbeddedSftpServer implements AutoCloseable {

	/** The user that may log in. */
	public static final String USERNAME = "storage-test";

	private static EmbeddedSftpServer shared;

	private final Path directory;

	private final Path stateDirectory;

	private final SshServer server;

	private final String password = UUID.randomUUID().toString();

	private final KeyPair clientKey = TestKeys.generate();

	/** More public keys {@link #USERNAME} may log in with (see {@link #authorize(PublicKey)}). */
	private final List<PublicKey> authorizedKeys = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final Path knownHosts;

	private final AtomicInteger openChannels = new AtomicInteger();

	private final AtomicInteger maxOpenChannels = new AtomicInteger();

	private EmbeddedSftpServer() throws IOException {
		this.stateDirectory = Files.createTempDirectory("embedded-sftp-");
		this.directory = Files.createDirectories(this.stateDirectory.resolve("data"));
		SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(
				this.stateDirectory.resolve("host-key.ser"));
		hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
		hostKeys.setKeySize(256);
		SftpSubsystemFactory sftp = new SftpSubsystemFactory();
		sftp.addSftpEventListener(new SftpEventListener() {

			@Override
			public void initialized(ServerSession session, int version) {
				int open = EmbeddedSftpServer.this.openChannels.incrementAndGet();
				EmbeddedSftpServer.this.maxOpenChannels.accumulateAndGet(open, Math::max);
			}

			@Override
			public void destroying(ServerSession session) {
				EmbeddedSftpServer.this.openChannels.decrementAndGet();
			}

		});
		PublicKey allowedKey = this.clientKey.getPublic();
		List<PublicKey> extraKeys = this.authorizedKeys;
		this.server = SshServer.setUpDefaultServer();
		this.server.setHost("127.0.0.1");
		this.server.setPort(0);
		this.server.setKeyPairProvider(hostKeys);
		this.server.setPasswordAuthenticator((user, pass, session) -> USERNAME.equals(user) && this.password.equals(pass));
		this.server.setPublickeyAuthenticator(
				(user, key, session) -> USERNAME.equals(user) && (KeyUtils.compareKeys(allowedKey, key)
						|| extraKeys.stream().anyMatch((extra) -> KeyUtils.compareKeys(extra, key))));
		this.server.setKeyboardInteractiveAuthenticator(null);
		this.server.setSubsystemFactories(List.of(sftp));
		this.server.setFileSystemFactory(new VirtualFileSystemFactory(this.directory));
		this.server.start();
		StringBuilder known = new StringBuilder();
		for (KeyPair pair : hostKeys.loadKeys(null)) {
			known.append(TestKeys.knownHostsLine(port(), pair.getPublic()));
		}
		this.knownHosts = this.stateDirectory.resolve("known_hosts");
		Files.writeString(this.knownHosts, known, StandardCharsets.US_ASCII);
	}

	/**
	 * The server shared by the tests of this JVM, started on first use and stopped when the JVM exits.
	 * @return the server
	 */
	public static synchronized EmbeddedSftpServer get() {
		if (shared == null) {
			EmbeddedSftpServer server = start();
			Runtime.getRuntime().addShutdownHook(new Thread(server::close));
			shared = server;
		}
		return shared;
	}

	/**
	 * A server of its own (for tests that count its channels, or stop it); the caller closes it.
	 * @return a started server
	 */
	public static EmbeddedSftpServer start() {
		try {
			return new EmbeddedSftpServer();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the embedded SFTP server", ex);
		}
	}

	/** The port on 127.0.0.1. */
	public int port() {
		return this.server.getPort();
	}

	/** The local directory the server serves as {@code /}. */
	public Path directory() {
		return this.directory;
	}

	/** The {@code known_hosts} file that lists the server's host key. */
	public Path knownHosts() {
		return this.knownHosts;
	}

	/** The throwaway password of {@link #USERNAME}. */
	public String password() {
		return this.password;
	}

	/** The throwaway private key of {@link #USERNAME}, in OpenSSH's text format. */
	public String privateKey() {
		return TestKeys.privateKeyText(this.clientKey);
	}

	/**
	 * Settings for a storage rooted at the given directory of the server (absolute, for example
	 * {@code /tck-1234}, or relative to {@code /}); key authentication, strict host key checking.
	 * @param root the root directory
	 * @return the settings
	 */
	public SftpSettings settings(String root) {
		return settingsBuilder(root).build();
	}

	/**
	 * A settings builder like {@link #settings(String)}, for tests that change more.
	 * @param root the root directory
	 * @return the builder
	 */
	public SftpSettings.Builder settingsBuilder(String root) {
		return SftpSettings.builder()
			.host("127.0.0.1")
			.port(port())
			.username(USERNAME)
			.privateKey(privateKey())
			.knownHosts(this.knownHosts)
			.tempMaxAge(Duration.ZERO) // no background sweep among the calls and channels tests count
			.root(root.startsWith("/") ? root : "/" + root);
	}

	/**
	 * Lets {@link #USERNAME} also log in with the given public key.
	 * @param key the key
	 */
	public void authorize(PublicKey key) {
		this.authorizedKeys.add(key);
	}

	/** How many SFTP channels are open now. */
	public int openSftpChannels() {
		return this.openChannels.get();
	}

	/** The most SFTP channels open at once since the last {@link #resetMaxOpenSftpChannels()}. */
	public int maxOpenSftpChannels() {
		return this.maxOpenChannels.get();
	}

	/** Starts counting the most channels open at once anew. */
	public void resetMaxOpenSftpChannels() {
		this.maxOpenChannels.set(this.openChannels.get());
	}

	/** Closes every client connection (the server keeps running). */
	public void disconnectAll() {
		this.server.getActiveSessions().forEach((session) -> session.close(true));
	}

	/** Stops the server and deletes its directory. */
	@Override
	public void close() {
		try {
			this.server.stop(true);
		}
		catch (IOException ex) {
			// stopping anyway
		}
		deleteTree(this.stateDirectory);
	}

	static void deleteTree(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> files = Files.walk(root)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// best effort
		}
	}

}
