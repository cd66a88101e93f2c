package dev.objectstorage.sftp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.SftpVersionSelector;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;

/**
 * Owns the SSH side of a backend: one MINA SSHD {@link SshClient}, the SSH connections
 * ("sessions") it opens, the bounded pool of SFTP channels over them, and the scheduler on which
 * every blocking SFTP call runs.
 * <ul>
 * <li>The pool holds at most {@link SftpSettings#maxChannels()} channels; borrowers beyond that
 * wait in the pool's queue without blocking a thread (Reactor Pool). Channels are opened when
 * needed, on the scheduler, and at most {@link SftpSettings#channelsPerSession()} share one
 * connection. A channel whose connection closed is discarded when it is next borrowed or returned.</li>
 * <li>The server's host key is checked against a {@code known_hosts} file (unless the settings
 * explicitly accept any key); a rejected key and a failed login become clear configuration and
 * permission errors.</li>
 * <li>SFTP version 3 is used with every server, the only version OpenSSH speaks, so that the
 * backend behaves the same everywhere; OpenSSH's extensions fill the gaps.</li>
 * </ul>
 */
final class SftpConnector implements AutoCloseable {

	private static final AttributeKey<PublicKey> REJECTED_HOST_KEY = new AttributeKey<>();

	private final SftpSettings settings;

	private final SshClient client;

	private final Scheduler scheduler;

	private final InstrumentedPool<Channel> pool;

	private final List<KeyPair> keys;

	private final String knownHostsDescription;

	private final UnaryOperator<SftpClient> decorator;

	/** Open connections and how many channels each carries; guarded by {@code this}. */
	private final List<SessionSlot> sessions = new ArrayList<>();

	private volatile @Nullable String root;

	SftpConnector(SftpSettings settings, UnaryOperator<SftpClient> decorator) {
		this.settings = settings;
		this.decorator = decorator;
		this.keys = loadKeys(settings);
		ServerKeyVerifier verifier;
		if (settings.acceptAnyHostKey()) {
			verifier = AcceptAllServerKeyVerifier.INSTANCE;
			this.knownHostsDescription = "(any key accepted)";
		}
		else {
			java.nio.file.Path file = (settings.knownHosts() != null) ? settings.knownHosts()
					: KnownHostEntry.getDefaultKnownHostsFile();
			verifier = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, file);
			this.knownHostsDescription = "the known hosts file " + file;
		}
		ServerKeyVerifier strict = verifier;
		this.client = SshClient.setUpDefaultClient();
		this.client.setServerKeyVerifier((session, address, key) -> {
			boolean accepted = strict.verifyServerKey(session, address, key);
			if (!accepted) {
				session.setAttribute(REJECTED_HOST_KEY, key); // for a clear error once the login fails
			}
			return accepted;
		});
		// nothing from the user's ~/.ssh: no config file, no default identities
		this.client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
		this.client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
		this.client.start();
		// one thread per channel (each blocks in one SFTP call at a time), plus room for opening channels
		this.scheduler = Schedulers.newBoundedElastic(settings.maxChannels() + 2, Integer.MAX_VALUE,
				"sftp-" + settings.host(), 60, true);
		this.pool = PoolBuilder.from(Mono.fromCallable(this::openChannel).subscribeOn(this.scheduler))
			.sizeBetween(0, settings.maxChannels())
			.maxPendingAcquireUnbounded()
			.evictionPredicate((channel, metadata) -> !channel.isOpen())
			.destroyHandler((channel) -> Mono.fromRunnable(channel::close))
			.buildPool();
	}

	private static List<KeyPair> loadKeys(SftpSettings settings) {
		String text;
		String what;
		if (settings.privateKey() != null) {
			text = settings.privateKey();
			what = "the privateKey setting";
		}
		else if (settings.privateKeyPath() != null) {
			what = "the file " + settings.privateKeyPath();
			try {
				text = Files.readString(settings.privateKeyPath(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new StorageException(ErrorKind.CONFIG_INVALID,
						"Cannot read the SFTP private key file " + settings.privateKeyPath() + ": " + ex, ex);
			}
		}
		else {
			return List.of();
		}
		FilePasswordProvider passphrase = (settings.privateKeyPassphrase() != null)
				? FilePasswordProvider.of(settings.privateKeyPassphrase()) : FilePasswordProvider.EMPTY;
		try {
			List<KeyPair> pairs = new ArrayList<>();
			Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("private key"),
					new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), passphrase);
			if (loaded != null) {
				loaded.forEach(pairs::add);
			}
			if (pairs.isEmpty()) {
				throw new GeneralSecurityException("no key found");
			}
			return List.copyOf(pairs);
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			throw SftpErrors.badPrivateKey(what, ex);
		}
	}

	/**
	 * Borrows a channel, waiting (without blocking) while all are in use.
	 * @return the lease; whoever subscribes releases it
	 */
	Mono<Lease> acquire() {
		return this.pool.acquire().map((ref) -> new Lease(ref, this.scheduler.createWorker()));
	}

	/** The scheduler of the blocking SFTP calls. */
	Scheduler scheduler() {
		return this.scheduler;
	}

	/** How many channels are open (borrowed or idle). */
	int openChannels() {
		return this.pool.metrics().allocatedSize();
	}

	private String target() {
		return this.settings.host() + ":" + this.settings.port();
	}

	// ---------------------------------------------------------------- opening channels (blocking)

	private Channel openChannel() throws IOException {
		SessionSlot slot = slotForNewChannel();
		SftpClient sftp = null;
		try {
			sftp = this.decorator.apply(
					SftpClientFactory.instance().createSftpClient(slot.session, SftpVersionSelector.fixedVersionSelector(3)));
			Channel channel = new Channel(sftp, slot, this);
			if (this.root == null) {
				resolveRoot(sftp);
			}
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			if (sftp != null) {
				closeQuietly(sftp);
			}
			channelClosed(slot);
			throw ex;
		}
	}

	/** A connection with room for one more channel, opening one if needed. */
	private synchronized SessionSlot slotForNewChannel() throws IOException {
		for (SessionSlot slot : this.sessions) {
			if (slot.session.isOpen() && slot.channels < this.settings.channelsPerSession()) {
				slot.channels++;
				return slot;
			}
		}
		SessionSlot slot = new SessionSlot(connect());
		slot.channels = 1;
		this.sessions.add(slot);
		return slot;
	}

	synchronized void channelClosed(SessionSlot slot) {
		slot.channels--;
		if (slot.channels <= 0) {
			this.sessions.remove(slot);
			slot.session.close(false); // graceful and asynchronous
		}
	}

	private ClientSession connect() throws IOException {
		ClientSession session = this.client
			.connect(this.settings.username(), this.settings.host(), this.settings.port())
			.verify(this.settings.connectTimeout())
			.getSession();
		try {
			if (this.settings.password() != null) {
				session.addPasswordIdentity(this.settings.password());
			}
			for (KeyPair key : this.keys) {
				session.addPublicKeyIdentity(key);
			}
			session.auth().verify(this.settings.authTimeout());
			return session;
		}
		catch (IOException | RuntimeException ex) {
			PublicKey rejected = session.getAttribute(REJECTED_HOST_KEY);
			session.close(true);
			if (rejected != null) {
				throw SftpErrors.hostKeyRejected(target(),
						KeyUtils.getKeyType(rejected) + " " + KeyUtils.getFingerPrint(rejected),
						this.knownHostsDescription, ex);
			}
			if (isAuthenticationFailure(ex)) {
				throw SftpErrors.authenticationFailed(this.settings.username(), target(), ex);
			}
			throw ex;
		}
	}

	private static boolean isAuthenticationFailure(Throwable ex) {
		String message = String.valueOf(ex.getMessage()).toLowerCase(java.util.Locale.ROOT);
		return message.contains("authentication") && !message.contains("timeout");
	}

	/** Resolves the root to an absolute path, creating it if allowed; once per backend. */
	private synchronized void resolveRoot(SftpClient sftp) throws IOException {
		if (this.root != null) {
			return;
		}
		String configured = this.settings.root();
		String path;
		if (configured.startsWith("/")) {
			path = configured;
		}
		else {
			String home = sftp.canonicalPath(".");
			path = configured.isEmpty() ? home : (home.endsWith("/") ? home : home + "/") + configured;
		}
		SftpClient.Attributes attributes = RemoteFiles.statOrNull(sftp, path);
		if (attributes == null) {
			if (!this.settings.createRoot()) {
				throw new StorageException(ErrorKind.CONFIG_INVALID, "The SFTP root directory " + path + " on "
						+ target() + " does not exist (create it, or allow creating it with createRoot)");
			}
			RemoteFiles.createDirectories(sftp, path, "/");
		}
		else if (!attributes.isDirectory()) {
			throw new StorageException(ErrorKind.CONFIG_INVALID,
					"The SFTP root " + path + " on " + target() + " is not a directory (point root at a directory)");
		}
		this.root = path;
	}

	/**
	 * The absolute root directory on the server, known once a channel was opened.
	 * @return the root
	 */
	String root() {
		String r = this.root;
		if (r == null) {
			throw new IllegalStateException("the root is resolved when the first channel opens");
		}
		return r;
	}

	private static void closeQuietly(SftpClient sftp) {
		try {
			sftp.close();
		}
		catch (IOException | RuntimeException ex) {
			// closing a channel that failed to open: nothing to save
		}
	}

	@Override
	public void close() {
		this.pool.disposeLater().subscribe(null, (ex) -> {
		});
		synchronized (this) {
			for (SessionSlot slot : this.sessions) {
				slot.session.close(true);
			}
			this.sessions.clear();
		}
		this.client.stop();
		this.scheduler.dispose();
	}

	/** One SSH connection and how many channels it carries. */
	static final class SessionSlot {

		final ClientSession session;

		int channels;

		SessionSlot(ClientSession session) {
			this.session = session;
		}

	}

	/** A pooled SFTP channel. */
	static final class Channel {

		final SftpClient sftp;

		private final SessionSlot slot;

		private final SftpConnector connector;

		private final @Nullable HardLinkExtension hardLink;

		private final boolean posixRename;

		private boolean closed;

		Channel(SftpClient sftp, SessionSlot slot, SftpConnector connector) {
			this.sftp = sftp;
			this.slot = slot;
			this.connector = connector;
			HardLinkExtension link = (sftp instanceof org.apache.sshd.sftp.client.RawSftpClient)
					? new HardLinkExtension(sftp) : null;
			this.hardLink = (link != null && link.isSupported()) ? link : null;
			this.posixRename = sftp.getExtension(
					org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension.class).isSupported();
		}

		boolean isOpen() {
			return !this.closed && this.sftp.isOpen() && this.slot.session.isOpen();
		}

		@Nullable HardLinkExtension hardLink() {
			return this.hardLink;
		}

		boolean hasPosixRename() {
			return this.posixRename;
		}

		String root() {
			return this.connector.root();
		}

		void close() {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
			}
			closeQuietly(this.sftp);
			this.connector.channelClosed(this.slot);
		}

	}

}
