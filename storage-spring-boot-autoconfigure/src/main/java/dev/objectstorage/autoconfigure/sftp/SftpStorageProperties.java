package dev.objectstorage.autoconfigure.sftp;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of a storage on an SFTP server.
 * <p>
 * Bound for each storage of type {@code sftp}: under {@code storage.sftp.*} for the storage configured
 * under {@code storage.*}, under {@code storage.instances.<name>.sftp.*} for a named one (the
 * annotation gives the configuration metadata its {@code storage.sftp.*} keys).
 */
@ConfigurationProperties(SftpStorageProperties.PREFIX)
public class SftpStorageProperties {

	/** The prefix of these properties for the storage configured under {@code storage.*}. */
	public static final String PREFIX = "storage.sftp";

	/**
	 * Host name or address of the SSH server.
	 */
	private @Nullable String host;

	/**
	 * Port of the SSH server.
	 */
	private int port = 22;

	/**
	 * User to log in as.
	 */
	private @Nullable String username;

	/**
	 * Password of the user, for password authentication. Never logged nor shown by Actuator.
	 */
	private @Nullable String password;

	/**
	 * Private key (OpenSSH or PEM text) for public key authentication. Never logged nor shown
	 * by Actuator.
	 */
	private @Nullable String privateKey;

	/**
	 * File that holds the private key for public key authentication.
	 */
	private @Nullable Path privateKeyPath;

	/**
	 * Passphrase of an encrypted private key. Never logged nor shown by Actuator.
	 */
	private @Nullable String privateKeyPassphrase;

	/**
	 * The known_hosts file that lists the server's host key; '~/.ssh/known_hosts' when not set.
	 * A server whose key is not listed is refused.
	 */
	private @Nullable Path knownHosts;

	/**
	 * Whether to accept any host key the server presents. INSECURE: for throwaway test
	 * servers only.
	 */
	private boolean acceptAnyHostKey = false;

	/**
	 * Directory that holds the objects: absolute, or relative to the login directory. Empty for
	 * the login directory.
	 */
	private String root = "";

	/**
	 * Whether to create the root directory if it does not exist.
	 */
	private boolean createRoot = true;

	/**
	 * Most SFTP channels open at once; each operation borrows one for its duration.
	 */
	private int maxChannels = 8;

	/**
	 * How many channels share one SSH connection (OpenSSH allows 10 by default).
	 */
	private int channelsPerSession = 4;

	/**
	 * How long to wait for the connection and key exchange.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * How long to wait for authentication.
	 */
	private Duration authTimeout = Duration.ofSeconds(10);

	/**
	 * How long an operation waits for a free channel when all max-channels are busy before it
	 * fails with a timeout.
	 */
	private Duration acquireTimeout = Duration.ofSeconds(30);

	/**
	 * Size of each SFTP read request and of the buffers reads emit.
	 */
	private DataSize readChunkSize = DataSize.ofKilobytes(64);

	/**
	 * How many SFTP read or write requests one read or write keeps in flight; more hides more
	 * network latency, and costs up to this many times the request size in memory.
	 */
	private int requestsInFlight = 32;

	/**
	 * Whether to keep a small hidden sidecar file next to each object with a version tag, the
	 * content type and user metadata. Without it, entity tags come from size and modification time
	 * alone and those metadata are not supported.
	 */
	private boolean metadata = true;

	/**
	 * How old a temporary file left behind by a write that died must be for the one background
	 * sweep at start-up to remove it; 0 turns the sweep off.
	 */
	private Duration tempMaxAge = Duration.ofHours(24);

	/**
	 * Whether the server can create a file only if its name is free, atomically (hard links that
	 * are really made, or a rename that never replaces), so that writes with ifNotExists are
	 * offered. Set false for servers that have neither (rclone serve sftp): the capability is
	 * then off. Left true on such a server, those writes fail as unsupported.
	 */
	private boolean atomicCreate = true;

	public @Nullable String getHost() {
		return this.host;
	}

	public void setHost(@Nullable String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getPrivateKey() {
		return this.privateKey;
	}

	public void setPrivateKey(@Nullable String privateKey) {
		this.privateKey = privateKey;
	}

	public @Nullable Path getPrivateKeyPath() {
		return this.privateKeyPath;
	}

	public void setPrivateKeyPath(@Nullable Path privateKeyPath) {
		this.privateKeyPath = privateKeyPath;
	}

	public @Nullable String getPrivateKeyPassphrase() {
		return this.privateKeyPassphrase;
	}

	public void setPrivateKeyPassphrase(@Nullable String privateKeyPassphrase) {
		this.privateKeyPassphrase = privateKeyPassphrase;
	}

	public @Nullable Path getKnownHosts() {
		return this.knownHosts;
	}

	public void setKnownHosts(@Nullable Path knownHosts) {
		this.knownHosts = knownHosts;
	}

	public boolean isAcceptAnyHostKey() {
		return this.acceptAnyHostKey;
	}

	public void setAcceptAnyHostKey(boolean acceptAnyHostKey) {
		this.acceptAnyHostKey = acceptAnyHostKey;
	}

	public String getRoot() {
		return this.root;
	}

	public void setRoot(String root) {
		this.root = root;
	}

	public boolean isCreateRoot() {
		return this.createRoot;
	}

	public void setCreateRoot(boolean createRoot) {
		this.createRoot = createRoot;
	}

	public int getMaxChannels() {
		return this.maxChannels;
	}

	public void setMaxChannels(int maxChannels) {
		this.maxChannels = maxChannels;
	}

	public int getChannelsPerSession() {
		return this.channelsPerSession;
	}

	public void setChannelsPerSession(int channelsPerSession) {
		this.channelsPerSession = channelsPerSession;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getAuthTimeout() {
		return this.authTimeout;
	}

	public void setAuthTimeout(Duration authTimeout) {
		this.authTimeout = authTimeout;
	}

	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	public int getRequestsInFlight() {
		return this.requestsInFlight;
	}

	public void setRequestsInFlight(int requestsInFlight) {
		this.requestsInFlight = requestsInFlight;
	}

	public DataSize getReadChunkSize() {
		return this.readChunkSize;
	}

	public void setReadChunkSize(DataSize readChunkSize) {
		this.readChunkSize = readChunkSize;
	}

	public boolean isMetadata() {
		return this.metadata;
	}

	public void setMetadata(boolean metadata) {
		this.metadata = metadata;
	}

	public Duration getTempMaxAge() {
		return this.tempMaxAge;
	}

	public void setTempMaxAge(Duration tempMaxAge) {
		this.tempMaxAge = tempMaxAge;
	}

	public boolean isAtomicCreate() {
		return this.atomicCreate;
	}

	public void setAtomicCreate(boolean atomicCreate) {
		this.atomicCreate = atomicCreate;
	}

}
