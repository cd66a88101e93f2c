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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
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
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.SftpVersionSelector;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolAcquireTimeoutException;
import reactor.pool.PoolBuilder;

/**
 * Owns the SSH side of a backend: one MINA SSHD {@link SshClient}, the SSH connections
 * ("sessions") it opens, the bounded pool of SFTP channels over them, and the scheduler on which
 * every blocking SFTP call runs.
 * <ul>
 * <li>The pool holds at most {@link SftpSettings#maxChannels()} channels; borrowers beyond that
 * wait in the pool's queue without blocking a thread (Reactor Pool), for at most
 * {@link SftpSettings#acquireTimeout()}. Channels are opened when
 * needed, on the scheduler, and at most {@link SftpSettings#channelsPerSession()} share one
 * connection. A channel whose connection closed is discarded when it is next borrowed or returned.</li>
 * <li>The server's host key is checked against a {@code known_hosts} file (unless the settings
 * explicitly accept any key); a rejected key and a failed login become clear configuration and
 * permission errors.</li>
 * <li>SFTP version 3 is used with every server, the only version OpenSSH speaks, so that the
 * backend behaves the same everywhere; OpenSSH's extensions fill the gaps.</li>
 * <li>No network I/O runs while the connector's monitor is held, and channels are closed on the
 * scheduler: a caller's thread (maybe an event loop) that borrows or returns a channel never
 * waits for a connection being opened or closed.</li>
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

	/** Whether {@link #close()} was called; guarded by {@code this}. */
	private boolean closed;

	/**
	 * Serialises resolving the root (network I/O): a lock of its own, not the connector's monitor,
	 * so that returning a channel never waits for it. Only the scheduler's threads take it.
	 */
	private final ReentrantLock rootLock = new ReentrantLock();

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
		// requests leave at once instead of waiting for the server's acknowledgement of earlier data
		// (Nagle's algorithm against delayed acknowledgements): the server's side is its own setting
		CoreModuleProperties.TCP_NODELAY.set(this.client, true);
		this.client.start();
		// one thread per channel (each blocks in one SFTP call at a time), plus room for opening channels
		this.scheduler = Schedulers.newBoundedElastic(settings.maxChannels() + 2, Integer.MAX_VALUE,
				"sftp-" + settings.host(), 60, true);
		this.pool = PoolBuilder.from(Mono.fromCallable(this::openChannel).subscribeOn(this.scheduler))
			.sizeBetween(0, settings.maxChannels())
			.maxPendingAcquireUnbounded()
			.evictionPredicate((channel, metadata) -> !channel.isOpen())
			// the pool destroys a channel on the thread that borrows or returns it: hand the closing
			// to the scheduler so that a caller's thread never does it (inline once the scheduler is gone)
			.destroyHandler((channel) -> Mono.<Void>fromRunnable(channel::close)
				.subscribeOn(this.scheduler)
				.onErrorResume(RejectedExecutionException.class, (ex) -> Mono.<Void>fromRunnable(channel::close)))
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
	 * Borrows a channel, waiting (without blocking) while all are in use, for at most
	 * {@link SftpSettings#acquireTimeout()}: an operation that holds a channel while it waits for
	 * another operation of this backend (a write whose content is a read of it) would otherwise wait
	 * forever once all channels are taken.
	 * @return the lease; whoever subscribes releases it; a {@link StorageException} of kind
	 * {@link ErrorKind#TIMEOUT} if no channel became free in time
	 */
	Mono<Lease> acquire() {
		return Lease.handedOverOnce(this.pool.acquire(this.settings.acquireTimeout()))
			.onErrorMap(PoolAcquireTimeoutException.class, this::allChannelsBusy)
			.map((ref) -> new Lease(ref, this.scheduler.createWorker()));
	}

	private StorageException allChannelsBusy(PoolAcquireTimeoutException ex) {
		int max = this.settings.maxChannels();
		return new StorageException(ErrorKind.TIMEOUT, "All " + max + " SFTP channels to " + target()
				+ " were busy for " + this.settings.acquireTimeout() + " (acquireTimeout): raise maxChannels (" + max
				+ "), or do not consume a read of this backend inside one of its operations (a write whose content"
				+ " is a read of the same backend holds a channel while the read waits for one)", null, null, null,
				true, ex);
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

	/**
	 * A connection with room for one more channel, opening one if needed. The monitor is held only
	 * to pick or register a connection, never while connecting (TCP, key exchange, authentication):
	 * {@link #channelClosed} takes it on whatever thread returns a channel. Two threads that connect
	 * at once open two connections; each carries at most {@code channelsPerSession} channels still.
	 */
	private SessionSlot slotForNewChannel() throws IOException {
		synchronized (this) {
			checkOpen();
			for (SessionSlot slot : this.sessions) {
				if (slot.session.isOpen() && slot.channels < this.settings.channelsPerSession()) {
					slot.channels++;
					return slot;
				}
			}
		}
		ClientSession session = connect();
		synchronized (this) {
			if (!this.closed) {
				SessionSlot slot = new SessionSlot(session);
				slot.channels = 1;
				this.sessions.add(slot);
				return slot;
			}
		}
		session.close(true); // the backend was closed while connecting
		throw closedError();
	}

	private synchronized void checkOpen() {
		if (this.closed) {
			throw closedError();
		}
	}

	private static StorageException closedError() {
		return new StorageException(ErrorKind.UNEXPECTED, "The SFTP backend is closed");
	}

	void channelClosed(SessionSlot slot) {
		boolean last;
		synchronized (this) {
			slot.channels--;
			last = slot.channels <= 0;
			if (last) {
				this.sessions.remove(slot);
			}
		}
		if (last) {
			slot.session.close(false); // graceful and asynchronous; outside the monitor all the same
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
	private void resolveRoot(SftpClient sftp) throws IOException {
		this.rootLock.lock();
		try {
			if (this.root == null) {
				this.root = findRoot(sftp);
			}
		}
		finally {
			this.rootLock.unlock();
		}
	}

	private String findRoot(SftpClient sftp) throws IOException {
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
		return path;
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

	/**
	 * Closes the connections and stops the scheduler. SFTP calls in flight fail (their connection
	 * is gone) and the tasks queued behind them still run, so that every operation in progress ends
	 * with an error and its clean-up runs instead of being dropped; new tasks are refused.
	 */
	@Override
	public void close() {
		List<SessionSlot> open;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			open = new ArrayList<>(this.sessions);
			this.sessions.clear();
		}
		this.pool.disposeLater().subscribe(null, (ex) -> {
		});
		for (SessionSlot slot : open) {
			slot.session.close(true);
		}
		this.client.stop();
		// graceful: queued tasks run (and fail fast) rather than vanish with their subscribers waiting;
		// forced after a while in case a call does not notice the closed connection
		this.scheduler.disposeGracefully()
			.timeout(java.time.Duration.ofSeconds(10))
			.onErrorResume((ex) -> Mono.fromRunnable(this.scheduler::dispose))
			.subscribe();
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

		/** The smallest answer to a read request taken as the server's limit (the SFTP drafts ask for 32 KiB and more). */
		static final int MIN_READ_LIMIT = 32 * 1024;

		final SftpClient sftp;

		private final SessionSlot slot;

		private final SftpConnector connector;

		private final @Nullable HardLinkExtension hardLink;

		private final boolean posixRename;

		private boolean closed;

		/**
		 * The largest read request the server answered whole (0 before the first): requests up to
		 * it can be sent a window at a time. Volatile: the channel's borrowers run on different threads.
		 */
		private volatile int readWhole;

		/** What the server answered to a read request it cut short, taken as its limit (0 while none was). */
		private volatile int readLimit;

		Channel(SftpClient sftp, SessionSlot slot, SftpConnector connector) {
			this.sftp = sftp;
			this.slot = slot;
			this.connector = connector;
			HardLinkExtension link = (sftp instanceof RawSftpClient)
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

		/** The client's raw requests, which reads and writes use to keep several in flight. */
		RawSftpClient raw() {
			if (this.sftp instanceof RawSftpClient raw) {
				return raw;
			}
			throw new IllegalStateException("The SFTP client must implement RawSftpClient: " + this.sftp.getClass());
		}

		/** The server's limit per read request, as far as known, or 0. */
		int readLimit() {
			return this.readLimit;
		}

		/** Whether the server is known to answer read requests of this size whole. */
		boolean answersWhole(int size) {
			return size <= this.readWhole;
		}

		/**
		 * Notes how much the server answered to a read request (not at the end of the file). An
		 * answer below {@link #MIN_READ_LIMIT} is not taken as the server's limit: more likely the file
		 * shrank, and a small limit would slow every later read on this channel.
		 */
		void readAnswered(int requested, int got) {
			if (got >= requested) {
				if (requested > this.readWhole) {
					this.readWhole = requested;
				}
			}
			else if (got >= MIN_READ_LIMIT) {
				int limit = this.readLimit;
				this.readLimit = (limit == 0) ? got : Math.min(limit, got);
				if (got > this.readWhole) {
					this.readWhole = got;
				}
			}
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
