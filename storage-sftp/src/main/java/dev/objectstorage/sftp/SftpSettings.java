package dev.objectstorage.sftp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link SftpBackend}. Immutable and validated when built (an
 * {@link InvalidSettingException} names the setting whose value is invalid);
 * {@link #toString()} never shows the password, the private key or its passphrase.
 * <pre>{@code
 * SftpSettings settings = SftpSettings.builder()
 *     .host("files.example.com")
 *     .username("app")
 *     .privateKeyPath(Path.of("/etc/app/id_ecdsa"))
 *     .root("/srv/objects")
 *     .build();
 * }</pre>
 *
 * @param host the SSH server's host name or address (required)
 * @param port the SSH server's port
 * @param username the user to log in as (required)
 * @param password the password, or {@code null} for public key authentication only
 * @param privateKey a private key in OpenSSH or PEM text form, or {@code null}
 * @param privateKeyPath a file holding the private key, or {@code null}
 * @param privateKeyPassphrase the passphrase of an encrypted private key, or {@code null}
 * @param knownHosts the {@code known_hosts} file that lists the server's host key, or {@code null}
 * for {@code ~/.ssh/known_hosts}; a server whose key is not listed (or differs) is refused
 * @param acceptAnyHostKey accept whatever host key the server presents: INSECURE (anyone between
 * the client and the server can read and change all data), for tests against throwaway servers only
 * @param root the directory that holds the objects: absolute, or relative to the login directory
 * ({@code ""} for the login directory itself); nothing outside it is touched
 * @param createRoot whether to create the root directory if it does not exist
 * @param maxChannels the most SFTP channels open at once (the pool's size); each operation borrows
 * one for its duration (a read for as long as it streams)
 * @param channelsPerSession how many channels share one SSH connection (OpenSSH allows 10 by
 * default, {@code MaxSessions}); more channels open more connections
 * @param connectTimeout how long to wait for the TCP connection and the key exchange
 * @param authTimeout how long to wait for authentication
 * @param acquireTimeout how long an operation waits for a free channel when all
 * {@code maxChannels} are in use before it fails with {@link ErrorKind#TIMEOUT}: a bound, so that
 * an operation that waits for another one of the same backend while holding a channel (a write
 * whose content is a read of this backend) fails instead of waiting forever
 * @param readChunkSize the size of the buffers reads emit unless a read asks for another, and of
 * each SFTP read request (servers may answer with less: OpenSSH up to 255 KiB, MINA SSHD 63 KiB;
 * later requests then ask for what the server answers)
 * @param requestsInFlight how many SFTP read or write requests one read or write keeps in flight
 * (sent and not yet answered): waiting for each answer before sending the next request costs a
 * network round trip per request, which with Nagle's algorithm and delayed acknowledgements can take
 * tens of milliseconds; a read or write holds at most this many requests' data in memory
 * ({@code requestsInFlight} times {@code readChunkSize} for reads, times 32 KiB for writes)
 * @param metadata whether to keep a small hidden sidecar file ({@code .os-meta.<name>}) next to each
 * object with a random version tag, the content type, cache control, content disposition and user
 * metadata; without it, entity tags are derived from size and modification time alone and those
 * metadata are not supported
 * @param tempMaxAge how old a temporary file of a write ({@code .os-tmp-*}) must be for the sweep
 * that the backend runs once in the background when it starts to remove it, as left behind by a
 * writer that died mid-write; {@link Duration#ZERO} turns the sweep off
 * @param atomicCreate whether the server can publish a file only if its name is free, atomically,
 * so that writes with {@code ifNotExists} are offered ({@code true}, the default). The backend
 * then uses {@code hardlink@openssh.com} and checks that the link is really there, or, where the
 * server has no working hard links, an SFTP version 3 rename once it has checked that the server's
 * rename refuses to replace a file; where neither works (rclone's {@code serve sftp} answers the
 * hard link with OK but makes none, and its rename replaces) those writes fail with
 * {@link ErrorKind#UNSUPPORTED} and nothing is published. {@code false} declares that the server
 * has no such mechanism: the capability is off and {@code ifNotExists} writes are refused before
 * anything is sent
 */
public record SftpSettings(String host, int port, String username, @Nullable String password,
		@Nullable String privateKey, @Nullable Path privateKeyPath, @Nullable String privateKeyPassphrase,
		@Nullable Path knownHosts, boolean acceptAnyHostKey, String root, boolean createRoot, int maxChannels,
		int channelsPerSession, Duration connectTimeout, Duration authTimeout, Duration acquireTimeout,
		int readChunkSize, int requestsInFlight, boolean metadata, Duration tempMaxAge, boolean atomicCreate) {

	/** The default SSH port. */
	public static final int DEFAULT_PORT = 22;

	/** The default pool size: 8 channels. */
	public static final int DEFAULT_MAX_CHANNELS = 8;

	/** The default number of channels per SSH connection: 4. */
	public static final int DEFAULT_CHANNELS_PER_SESSION = 4;

	/** The default read chunk size: 64 KiB. */
	public static final int DEFAULT_READ_CHUNK_SIZE = 64 * 1024;

	/**
	 * The default number of SFTP requests a read or write keeps in flight: 32 (2 MiB of 64 KiB reads,
	 * 1 MiB of 32 KiB writes; OpenSSH's {@code sftp} keeps 64 requests of 32 KiB in flight). Measured
	 * on loopback against MINA SSHD's server, 16 left 16 MiB writes 40% slower than MINA's own streams.
	 */
	public static final int DEFAULT_REQUESTS_IN_FLIGHT = 32;

	/** The default connect and authentication timeout: 10 seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** The default wait for a free channel: 30 seconds. */
	public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

	/** The default age of temporary files that the start-up sweep removes: 24 hours. */
	public static final Duration DEFAULT_TEMP_MAX_AGE = Duration.ofHours(24);

	private static final String MASK = "******";

	public SftpSettings {
		if (host == null || host.isBlank()) {
			throw invalid("host", "must not be empty");
		}
		if (port < 1 || port > 65535) {
			throw invalid("port", "must be between 1 and 65535, was " + port);
		}
		if (username == null || username.isBlank()) {
			throw invalid("username", "must not be empty");
		}
		if (password == null && privateKey == null && privateKeyPath == null) {
			throw invalid("password", "must be set if neither privateKey nor privateKeyPath is (to authenticate)");
		}
		if (privateKey != null && privateKeyPath != null) {
			throw invalid("privateKey", "must not be set together with privateKeyPath");
		}
		if (privateKey != null && privateKey.isBlank()) {
			throw invalid("privateKey", "must not be blank");
		}
		root = normaliseRoot(root);
		if (maxChannels < 1) {
			throw invalid("maxChannels", "must be at least 1, was " + maxChannels);
		}
		if (channelsPerSession < 1) {
			throw invalid("channelsPerSession", "must be at least 1, was " + channelsPerSession);
		}
		requirePositive("connectTimeout", connectTimeout);
		requirePositive("authTimeout", authTimeout);
		requirePositive("acquireTimeout", acquireTimeout);
		if (readChunkSize < 1024 || readChunkSize > 16 * 1024 * 1024) {
			throw invalid("readChunkSize", "must be between 1 KiB and 16 MiB, was " + readChunkSize);
		}
		if (requestsInFlight < 1 || requestsInFlight > 1024) {
			throw invalid("requestsInFlight", "must be between 1 and 1024, was " + requestsInFlight);
		}
		if (tempMaxAge == null || tempMaxAge.isNegative()) {
			throw invalid("tempMaxAge", "must not be negative, was " + tempMaxAge);
		}
	}

	/**
	 * A builder with the defaults: port 22, strict host key checking against
	 * {@code ~/.ssh/known_hosts}, the login directory as root (created if missing), 8 channels, 4 per
	 * connection, 10 second connect and authentication timeouts, 30 seconds of waiting for a free
	 * channel, 64 KiB reads, 32 requests in flight per read or write, metadata sidecars on, temporary
	 * files older than 24 hours removed at start-up.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	private static String normaliseRoot(@Nullable String root) {
		if (root == null) {
			return "";
		}
		for (int i = 0; i < root.length(); i++) {
			if (root.charAt(i) < 0x20 || root.charAt(i) == 0x7f) {
				throw invalid("root", "must not contain control characters");
			}
		}
		String r = root;
		while (r.length() > 1 && r.endsWith("/")) {
			r = r.substring(0, r.length() - 1);
		}
		for (String segment : r.split("/")) {
			if (segment.equals("..") || segment.equals(".")) {
				throw invalid("root", "must not contain '.' or '..' segments, was " + root);
			}
		}
		return r;
	}

	private static void requirePositive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(name, "must be positive, was " + value);
		}
	}

	private static InvalidSettingException invalid(String setting, String problem) {
		return new InvalidSettingException("SFTP", setting, problem);
	}

	@Override
	public String toString() {
		return "SftpSettings[host=" + this.host + ", port=" + this.port + ", username=" + this.username
				+ ", password=" + mask(this.password) + ", privateKey=" + mask(this.privateKey) + ", privateKeyPath="
				+ this.privateKeyPath + ", privateKeyPassphrase=" + mask(this.privateKeyPassphrase) + ", knownHosts="
				+ this.knownHosts + ", acceptAnyHostKey=" + this.acceptAnyHostKey + ", root=" + this.root
				+ ", createRoot=" + this.createRoot + ", maxChannels=" + this.maxChannels + ", channelsPerSession="
				+ this.channelsPerSession + ", connectTimeout=" + this.connectTimeout + ", authTimeout="
				+ this.authTimeout + ", acquireTimeout=" + this.acquireTimeout + ", readChunkSize="
				+ this.readChunkSize + ", requestsInFlight=" + this.requestsInFlight + ", metadata=" + this.metadata
				+ ", tempMaxAge=" + this.tempMaxAge + ", atomicCreate=" + this.atomicCreate + "]";
	}

	private static String mask(@Nullable String secret) {
		return (secret != null) ? MASK : "null";
	}

	/** Builds {@link SftpSettings}; {@link #build()} validates. */
	public static final class Builder {

		private @Nullable String host;

		private int port = DEFAULT_PORT;

		private @Nullable String username;

		private @Nullable String password;

		private @Nullable String privateKey;

		private @Nullable Path privateKeyPath;

		private @Nullable String privateKeyPassphrase;

		private @Nullable Path knownHosts;

		private boolean acceptAnyHostKey;

		private String root = "";

		private boolean createRoot = true;

		private int maxChannels = DEFAULT_MAX_CHANNELS;

		private int channelsPerSession = DEFAULT_CHANNELS_PER_SESSION;

		private Duration connectTimeout = DEFAULT_TIMEOUT;

		private Duration authTimeout = DEFAULT_TIMEOUT;

		private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;

		private int readChunkSize = DEFAULT_READ_CHUNK_SIZE;

		private int requestsInFlight = DEFAULT_REQUESTS_IN_FLIGHT;

		private boolean metadata = true;

		private Duration tempMaxAge = DEFAULT_TEMP_MAX_AGE;

		private boolean atomicCreate = true;

		private Builder() {
		}

		private Builder(SftpSettings settings) {
			this.host = settings.host;
			this.port = settings.port;
			this.username = settings.username;
			this.password = settings.password;
			this.privateKey = settings.privateKey;
			this.privateKeyPath = settings.privateKeyPath;
			this.privateKeyPassphrase = settings.privateKeyPassphrase;
			this.knownHosts = settings.knownHosts;
			this.acceptAnyHostKey = settings.acceptAnyHostKey;
			this.root = settings.root;
			this.createRoot = settings.createRoot;
			this.maxChannels = settings.maxChannels;
			this.channelsPerSession = settings.channelsPerSession;
			this.connectTimeout = settings.connectTimeout;
			this.authTimeout = settings.authTimeout;
			this.acquireTimeout = settings.acquireTimeout;
			this.readChunkSize = settings.readChunkSize;
			this.requestsInFlight = settings.requestsInFlight;
			this.metadata = settings.metadata;
			this.tempMaxAge = settings.tempMaxAge;
			this.atomicCreate = settings.atomicCreate;
		}

		/** The server's host name or address. */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/** The server's port (22). */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/** The user to log in as. */
		public Builder username(String username) {
			this.username = username;
			return this;
		}

		/** The password, or {@code null}. */
		public Builder password(@Nullable String password) {
			this.password = password;
			return this;
		}

		/** A private key in OpenSSH or PEM text form, or {@code null}. */
		public Builder privateKey(@Nullable String privateKey) {
			this.privateKey = privateKey;
			return this;
		}

		/** A file holding the private key, or {@code null}. */
		public Builder privateKeyPath(@Nullable Path privateKeyPath) {
			this.privateKeyPath = privateKeyPath;
			return this;
		}

		/** The passphrase of an encrypted private key, or {@code null}. */
		public Builder privateKeyPassphrase(@Nullable String privateKeyPassphrase) {
			this.privateKeyPassphrase = privateKeyPassphrase;
			return this;
		}

		/** The {@code known_hosts} file, or {@code null} for {@code ~/.ssh/known_hosts}. */
		public Builder knownHosts(@Nullable Path knownHosts) {
			this.knownHosts = knownHosts;
			return this;
		}

		/**
		 * Accepts any host key: INSECURE, for tests against throwaway local servers only.
		 */
		public Builder acceptAnyHostKey(boolean acceptAnyHostKey) {
			this.acceptAnyHostKey = acceptAnyHostKey;
			return this;
		}

		/** The root directory, absolute or relative to the login directory ({@code ""}). */
		public Builder root(String root) {
			this.root = root;
			return this;
		}

		/** Whether to create a missing root directory ({@code true}). */
		public Builder createRoot(boolean createRoot) {
			this.createRoot = createRoot;
			return this;
		}

		/** The pool's size (8). */
		public Builder maxChannels(int maxChannels) {
			this.maxChannels = maxChannels;
			return this;
		}

		/** Channels per SSH connection (4). */
		public Builder channelsPerSession(int channelsPerSession) {
			this.channelsPerSession = channelsPerSession;
			return this;
		}

		/** The connect timeout (10 s). */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/** The authentication timeout (10 s). */
		public Builder authTimeout(Duration authTimeout) {
			this.authTimeout = authTimeout;
			return this;
		}

		/**
		 * How long an operation waits for a free channel before failing with
		 * {@link ErrorKind#TIMEOUT} (30 s).
		 */
		public Builder acquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = acquireTimeout;
			return this;
		}

		/** The read chunk size (64 KiB). */
		public Builder readChunkSize(int readChunkSize) {
			this.readChunkSize = readChunkSize;
			return this;
		}

		/**
		 * How many SFTP requests a read or write keeps in flight (32): more hide more network
		 * latency, and hold more memory per read or write.
		 */
		public Builder requestsInFlight(int requestsInFlight) {
			this.requestsInFlight = requestsInFlight;
			return this;
		}

		/** Whether to keep metadata sidecar files ({@code true}). */
		public Builder metadata(boolean metadata) {
			this.metadata = metadata;
			return this;
		}

		/**
		 * How old a temporary file of a write must be for the start-up sweep to remove it (24 h);
		 * {@link Duration#ZERO} turns the sweep off.
		 */
		public Builder tempMaxAge(Duration tempMaxAge) {
			this.tempMaxAge = tempMaxAge;
			return this;
		}

		/**
		 * Whether the server can create a file only if its name is free, atomically ({@code true});
		 * {@code false} turns writes with {@code ifNotExists} off (for servers such as rclone's
		 * {@code serve sftp}, which have no such mechanism).
		 */
		public Builder atomicCreate(boolean atomicCreate) {
			this.atomicCreate = atomicCreate;
			return this;
		}

		/**
		 * Validates and builds the settings.
		 * @return the settings
		 * @throws InvalidSettingException naming the setting whose value is invalid or missing
		 */
		public SftpSettings build() {
			return new SftpSettings(Objects.requireNonNullElse(this.host, ""), this.port,
					Objects.requireNonNullElse(this.username, ""), this.password, this.privateKey, this.privateKeyPath,
					this.privateKeyPassphrase, this.knownHosts, this.acceptAnyHostKey, this.root, this.createRoot,
					this.maxChannels, this.channelsPerSession, this.connectTimeout, this.authTimeout,
					this.acquireTimeout, this.readChunkSize, this.requestsInFlight, this.metadata, this.tempMaxAge,
					this.atomicCreate);
		}

	}

}
