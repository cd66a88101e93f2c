package dev.objectstorage.autoconfigure.webdav;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of a storage on a WebDAV server.
 * <p>
 * Bound for each storage of type {@code webdav}: under {@code storage.webdav.*} for the storage configured
 * under {@code storage.*}, under {@code storage.instances.<name>.webdav.*} for a named one (the
 * annotation gives the configuration metadata its {@code storage.webdav.*} keys).
 */
@ConfigurationProperties(WebDavStorageProperties.PREFIX)
public class WebDavStorageProperties {

	/** The prefix of these properties for the storage configured under {@code storage.*}. */
	public static final String PREFIX = "storage.webdav";

	/**
	 * URL of the WebDAV collection that holds the storage, for example
	 * 'https://dav.example.com/files/'.
	 */
	private @Nullable URI baseUrl;

	/**
	 * Path under the base URL in which the storage's objects live. Empty for the base URL itself.
	 */
	private String root = "";

	/**
	 * User name for HTTP Basic authentication. Not set for anonymous access.
	 */
	private @Nullable String username;

	/**
	 * Password for HTTP Basic authentication. Never logged nor shown by Actuator.
	 */
	private @Nullable String password;

	/**
	 * Maximum number of HTTP connections to the server.
	 */
	private int maxConnections = 32;

	/**
	 * How long to wait for a connection to the server.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * How long the server may stay silent while an answer is awaited or read (and how long a
	 * request waits for a pooled connection).
	 */
	private Duration responseTimeout = Duration.ofSeconds(60);

	/**
	 * How long a conditional write waits for another one of the same object, and after which an
	 * abandoned write lock is broken.
	 */
	private Duration lockTimeout = Duration.ofSeconds(30);

	/**
	 * Age after which temporary resources left behind by writers that died mid-write are deleted
	 * by a sweep run once when the backend starts (0 turns the sweep off).
	 */
	private Duration tempMaxAge = Duration.ofHours(24);

	/**
	 * Whether objects carry metadata (content type, user metadata, cache control, content
	 * disposition), kept as WebDAV dead properties: 'auto' asks the server once when the storage
	 * is created (servers without a dead-property store, such as nginx or rclone, then take writes
	 * without metadata and the storage reports those capabilities off), 'enabled' assumes it
	 * (writes still check what was stored), 'disabled' never stores metadata.
	 */
	private Metadata metadata = Metadata.AUTO;

	/**
	 * Whether objects of a WebDAV storage carry metadata.
	 */
	public enum Metadata {

		/** Ask the server once, when the storage is created. */
		AUTO,

		/** The server stores dead properties. */
		ENABLED,

		/** Never store metadata. */
		DISABLED

	}

	/**
	 * Whether path segments starting with '.' (or '~') are stored with a '~' in front, for
	 * servers that leave names starting with '.' out of their listings (nginx's dav-ext module).
	 * Off: such names are stored as they are, and refused on a server found to hide them.
	 */
	private boolean escapeLeadingDots;

	/**
	 * Whether the server's PUT is atomic (a PUT cut mid-body leaves the object as it was), so that
	 * writes without conditions and metadata PUT straight to the object's path instead of to a
	 * temporary resource moved into place. Found so for Apache httpd (mod_dav_fs), lighttpd and
	 * nginx; not for rclone serve webdav and npm webdav-server (see the guide).
	 */
	private boolean atomicPut;

	public boolean isAtomicPut() {
		return this.atomicPut;
	}

	public void setAtomicPut(boolean atomicPut) {
		this.atomicPut = atomicPut;
	}

	public boolean isEscapeLeadingDots() {
		return this.escapeLeadingDots;
	}

	public void setEscapeLeadingDots(boolean escapeLeadingDots) {
		this.escapeLeadingDots = escapeLeadingDots;
	}

	public Metadata getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Metadata metadata) {
		this.metadata = metadata;
	}

	public @Nullable URI getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable URI baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String getRoot() {
		return this.root;
	}

	public void setRoot(String root) {
		this.root = root;
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

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getResponseTimeout() {
		return this.responseTimeout;
	}

	public void setResponseTimeout(Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = lockTimeout;
	}

	public Duration getTempMaxAge() {
		return this.tempMaxAge;
	}

	public void setTempMaxAge(Duration tempMaxAge) {
		this.tempMaxAge = tempMaxAge;
	}

}
