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
import org.apache.sshd.core.CoreModuleProperties;
import org.jspecify.annotations.Nullable;

/**
 * The SSH connections ("sessions") of a backend: one MINA SSHD {@link SshClient} that checks the
 * server's host key against a {@code known_hosts} file (unless the settings explicitly accept any
 * key) and logs in with the configured password or private key, and the open connections with how
 * many channels each carries (at most {@link SftpSettings#channelsPerSession()}). A rejected key and
 * a failed login become clear configuration and permission errors. Nothing from the user's
 * {@code ~/.ssh} is used. The monitor is held only to pick or register a connection, never while
 * connecting.
 */
final class SftpSessions {

	private static final AttributeKey<PublicKey> REJECTED_HOST_KEY = new AttributeKey<>();

	private final SftpSettings settings;

	private final SshClient client;

	private final List<KeyPair> keys;

	private final String knownHostsDescription;

	/** Open connections and how many channels each carries; guarded by {@code this}. */
	private final List<Slot> sessions = new ArrayList<>();

	/** Whether {@link #refuseNew()} was called; guarded by {@code this}. */
	private boolean closed;

	SftpSessions(SftpSettings settings) {
		this.settings = settings;
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

	/** The server, for messages. */
	String target() {
		return this.settings.host() + ":" + this.settings.port();
	}

	/**
	 * A connection with room for one more channel, opening one if needed. The monitor is held only
	 * to pick or register a connection, never while connecting (TCP, key exchange, authentication):
	 * {@link #channelClosed} takes it on whatever thread returns a channel. Two threads that connect
	 * at once open two connections; each carries at most {@code channelsPerSession} channels still.
	 */
	Slot slotForNewChannel() throws IOException {
		synchronized (this) {
			checkOpen();
			for (Slot slot : this.sessions) {
				if (slot.session.isOpen() && slot.channels < this.settings.channelsPerSession()) {
					slot.channels++;
					return slot;
				}
			}
		}
		ClientSession session = connect();
		synchronized (this) {
			if (!this.closed) {
				Slot slot = new Slot(session);
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

	/** Notes that a channel of a connection closed; the connection's last one closes the connection. */
	void channelClosed(Slot slot) {
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

	/**
	 * Refuses new channels from now on.
	 * @return the open connections, for {@link #stop(List)}, or {@code null} if this was done before
	 */
	synchronized @Nullable List<Slot> refuseNew() {
		if (this.closed) {
			return null;
		}
		this.closed = true;
		List<Slot> open = new ArrayList<>(this.sessions);
		this.sessions.clear();
		return open;
	}

	/**
	 * Closes connections at once and stops the client.
	 * @param open the connections {@link #refuseNew()} gave
	 */
	void stop(List<Slot> open) {
		for (Slot slot : open) {
			slot.session.close(true);
		}
		this.client.stop();
	}

	/** One SSH connection and how many channels it carries. */
	static final class Slot {

		final ClientSession session;

		int channels;

		Slot(ClientSession session) {
			this.session = session;
		}

	}

}
