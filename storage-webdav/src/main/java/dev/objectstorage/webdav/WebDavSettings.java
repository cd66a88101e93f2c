package dev.objectstorage.webdav;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link WebDavBackend}. Immutable; build them with {@link #builder(String)}, checked
 * when built (an {@link InvalidSettingException} names the setting whose value is invalid).
 * {@link #toString()} never shows the password.
 *
 * @param baseUrl the server's base URL, ending in {@code /} (an http or https URL without
 * credentials, query or fragment; the scheme is lower-cased and a {@code /} appended if missing)
 * @param root the collection under the base URL where the storage's objects live, without leading or
 * trailing {@code /}; empty for the base URL itself (normalised so; {@code null} counts as empty)
 * @param username the user name for HTTP Basic authentication, or {@code null} for no authentication
 * @param password the password for HTTP Basic authentication, or {@code null} (set together with
 * the user name)
 * @param maxConnections the maximum number of HTTP connections the backend opens to the server (its
 * pool's size)
 * @param connectTimeout how long opening a connection may take
 * @param responseTimeout how long the server may stay silent while the backend waits for a response
 * or its next bytes
 * @param lockTimeout how long a conditional write waits for another conditional write of the same
 * object to finish, and after which an abandoned write lock (of a crashed client) is broken
 * @param tempMaxAge the age after which temporary resources left behind by writers that died
 * mid-write are deleted by a sweep the backend runs once when it starts; {@link Duration#ZERO}
 * turns the sweep off
 * @param metadata whether the server stores this library's dead properties (content type, cache
 * control, content disposition, user metadata and a per-write tag): {@link Metadata#AUTO} (the
 * default) finds out once, when the backend is built, see {@link Metadata}
 * @param escapeLeadingDots whether path segments that start with {@code .} (and, so that names stay
 * distinct, those that start with {@code ~}) are stored with a {@code ~} in front, for servers that
 * leave names starting with {@code .} out of their listings (nginx's dav-ext module); off by default,
 * when such names are stored as they are, and refused with {@link ErrorKind#UNSUPPORTED} on a server
 * found to hide them. Changing it changes the names on the server of such objects.
 * @param atomicPut whether the server's {@code PUT} is atomic: a {@code PUT} cut mid-body (the
 * client dies, the connection drops) leaves the object as it was, or no object at a new path, and
 * readers never see a half-written body. Off by default. When set, a write without conditions and
 * without metadata is a {@code PUT} straight to the object's path (between a {@code PROPFIND} before
 * and one after, which give the version it replaces and the size and entity tag of what was
 * stored) instead of a {@code PUT} to a temporary resource moved into place. Set it only for a
 * server whose {@code PUT} was found atomic: Apache httpd's {@code mod_dav_fs}, lighttpd's
 * {@code mod_webdav} and nginx's {@code dav} module (each writes to a temporary file it renames);
 * not {@code rclone serve webdav} and npm webdav-server, which write into the target file as the
 * bytes arrive (see docs/guide.md).
 */
public record WebDavSettings(URI baseUrl, String root, @Nullable String username, @Nullable String password,
		int maxConnections, Duration connectTimeout, Duration responseTimeout, Duration lockTimeout,
		Duration tempMaxAge, Metadata metadata, boolean escapeLeadingDots, boolean atomicPut) {

	/**
	 * Whether objects carry metadata, kept as WebDAV dead properties ({@code PROPPATCH}). Servers
	 * without a dead-property store (nginx's dav module, Go's {@code x/net/webdav} as in
	 * {@code rclone serve webdav}) or with a broken one (npm {@code webdav-server} 2.6 mangles
	 * property namespaces) still take writes, but then the backend's capabilities report content
	 * type, user metadata, cache control and content disposition as unsupported, and the entity tag
	 * is the server's alone.
	 */
	public enum Metadata {

		/**
		 * Find out when the backend is built: one {@code PROPPATCH} of two test properties on the
		 * base URL's collection, read back with {@code PROPFIND} and removed again. The backend's
		 * constructor then blocks for that exchange (bounded by the timeouts), so it must not be
		 * built on a non-blocking thread (it fails with {@link ErrorKind#CONFIG_INVALID} there). If
		 * the server cannot be asked (unreachable, too slow, credentials refused), the backend is
		 * built as with {@link #ENABLED}.
		 */
		AUTO,

		/**
		 * The server stores dead properties: no probe. Every write still reads its properties back
		 * and fails with {@link ErrorKind#UNSUPPORTED} rather than publish an object whose metadata
		 * the server lost; a write without metadata on a server that refuses dead properties goes on
		 * without them (its entity tag is then the server's alone).
		 */
		ENABLED,

		/** Never store metadata (no {@code PROPPATCH} at all); the metadata capabilities are off. */
		DISABLED

	}

	/** Default maximum number of HTTP connections: 32. */
	public static final int DEFAULT_MAX_CONNECTIONS = 32;

	/** Default connect timeout: 10 seconds. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** Default response timeout: 60 seconds. */
	public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

	/** Default lock timeout: 30 seconds. */
	public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

	/** Default age after which left-behind temporary resources are deleted: 24 hours. */
	public static final Duration DEFAULT_TEMP_MAX_AGE = Duration.ofHours(24);

	public WebDavSettings {
		baseUrl = checkBaseUrl(baseUrl);
		root = normaliseRoot(root);
		if ((username == null) != (password == null)) {
			throw invalid((username == null) ? "username" : "password",
					"must be set with " + ((username == null) ? "password" : "username") + ", or neither be set (no authentication)");
		}
		if (username != null && username.indexOf(':') >= 0) {
			throw invalid("username", "must not contain ':' (Basic authentication cannot carry it)");
		}
		if (maxConnections < 1) {
			throw invalid("maxConnections", "must be at least 1, was " + maxConnections);
		}
		connectTimeout = positive("connectTimeout", connectTimeout);
		responseTimeout = positive("responseTimeout", responseTimeout);
		lockTimeout = positive("lockTimeout", lockTimeout);
		if (tempMaxAge == null || tempMaxAge.isNegative()) {
			throw invalid("tempMaxAge", "must be zero (off) or positive, was " + tempMaxAge);
		}
		if (metadata == null) {
			throw invalid("metadata", "must be AUTO, ENABLED or DISABLED");
		}
	}

	/**
	 * A builder for a server's base URL, for example {@code https://dav.example.com/remote.php/dav/files/ann}.
	 * @param baseUrl the base URL (http or https, without credentials, query or fragment)
	 * @return a new builder with the defaults
	 */
	public static Builder builder(String baseUrl) {
		return new Builder().baseUrl(baseUrl);
	}

	/**
	 * A builder with the values of these settings, to change some.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.baseUrl = this.baseUrl.toString();
		builder.root = this.root;
		builder.username = this.username;
		builder.password = this.password;
		builder.maxConnections = this.maxConnections;
		builder.connectTimeout = this.connectTimeout;
		builder.responseTimeout = this.responseTimeout;
		builder.lockTimeout = this.lockTimeout;
		builder.tempMaxAge = this.tempMaxAge;
		builder.metadata = this.metadata;
		builder.escapeLeadingDots = this.escapeLeadingDots;
		builder.atomicPut = this.atomicPut;
		return builder;
	}

	/** Parses the builder's base URL; {@link #checkBaseUrl(URI)} checks and normalises it. */
	private static URI parseBaseUrl(@Nullable String value) {
		if (value == null || value.isBlank()) {
			throw invalid("baseUrl", "must not be empty");
		}
		try {
			return new URI(value.trim());
		}
		catch (java.net.URISyntaxException ex) {
			// not the parser's message: it repeats the whole value, credentials included
			throw invalid("baseUrl", "is not a valid URL (" + ex.getReason() + " at index " + ex.getIndex() + ")");
		}
	}

	private static URI checkBaseUrl(@Nullable URI uri) {
		if (uri == null) {
			throw invalid("baseUrl", "must not be empty");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			throw invalid("baseUrl", "must be an http or https URL, was " + uri.getScheme());
		}
		if (uri.getHost() == null) {
			throw invalid("baseUrl", "must name a host");
		}
		if (uri.getRawUserInfo() != null) {
			throw invalid("baseUrl", "must not contain credentials (set username and password instead)");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw invalid("baseUrl", "must not have a query or fragment");
		}
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		if (!path.endsWith("/")) {
			path = path + "/";
		}
		return URI.create(scheme + "://" + uri.getRawAuthority() + path);
	}

	private static String normaliseRoot(@Nullable String root) {
		if (root == null) {
			return "";
		}
		StringBuilder result = new StringBuilder();
		for (String segment : root.split("/")) {
			if (segment.isEmpty()) {
				continue;
			}
			if (segment.equals(".") || segment.equals("..")) {
				throw invalid("root", "must not contain '.' or '..' segments, was " + root);
			}
			for (int i = 0; i < segment.length(); i++) {
				if (Character.isISOControl(segment.charAt(i)) || segment.charAt(i) == '\\') {
					throw invalid("root", "must not contain control characters or backslashes");
				}
			}
			if (!result.isEmpty()) {
				result.append('/');
			}
			result.append(segment);
		}
		return result.toString();
	}

	private static Duration positive(String name, @Nullable Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw invalid(name, "must be positive, was " + value);
		}
		return value;
	}

	private static InvalidSettingException invalid(String setting, String problem) {
		return new InvalidSettingException("WebDAV", setting, problem);
	}

	@Override
	public String toString() {
		return "WebDavSettings[baseUrl=" + this.baseUrl + ", root=" + this.root + ", username=" + this.username
				+ ", password=" + ((this.password != null) ? "******" : "null") + ", maxConnections="
				+ this.maxConnections + ", connectTimeout=" + this.connectTimeout + ", responseTimeout="
				+ this.responseTimeout + ", lockTimeout=" + this.lockTimeout + ", tempMaxAge=" + this.tempMaxAge
				+ ", metadata=" + this.metadata + ", escapeLeadingDots=" + this.escapeLeadingDots + ", atomicPut="
				+ this.atomicPut + "]";
	}

	/**
	 * Builds {@link WebDavSettings}; {@link #build()} checks the values.
	 */
	public static final class Builder {

		private @Nullable String baseUrl;

		private @Nullable String root = "";

		private @Nullable String username;

		private @Nullable String password;

		private int maxConnections = DEFAULT_MAX_CONNECTIONS;

		private @Nullable Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private @Nullable Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;

		private @Nullable Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;

		private @Nullable Duration tempMaxAge = DEFAULT_TEMP_MAX_AGE;

		private @Nullable Metadata metadata = Metadata.AUTO;

		private boolean escapeLeadingDots;

		private boolean atomicPut;

		private Builder() {
		}

		/**
		 * Sets the server's base URL.
		 * @param baseUrl the URL (http or https, no credentials)
		 * @return this builder
		 */
		public Builder baseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		/**
		 * Sets the collection, relative to the base URL, that holds the storage's objects (created on
		 * the first write). Leading and trailing {@code /} are ignored.
		 * @param root the root path, empty for the base URL itself
		 * @return this builder
		 */
		public Builder root(@Nullable String root) {
			this.root = root;
			return this;
		}

		/**
		 * Sets the credentials for HTTP Basic authentication (use https outside a trusted network).
		 * @param username the user name, or {@code null} for none
		 * @param password the password, or {@code null} for none
		 * @return this builder
		 */
		public Builder credentials(@Nullable String username, @Nullable String password) {
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * Sets the maximum number of HTTP connections.
		 * @param maxConnections at least 1
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Sets how long opening a connection may take.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(@Nullable Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/**
		 * Sets how long the server may stay silent while a response is awaited or read.
		 * @param responseTimeout a positive duration
		 * @return this builder
		 */
		public Builder responseTimeout(@Nullable Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
			return this;
		}

		/**
		 * Sets how long a conditional write waits for another one of the same object, and after which
		 * an abandoned write lock is broken.
		 * @param lockTimeout a positive duration
		 * @return this builder
		 */
		public Builder lockTimeout(@Nullable Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
			return this;
		}

		/**
		 * Sets the age after which temporary resources left behind by writers that died mid-write
		 * (and their abandoned write locks) are deleted, by a sweep of the root's collection tree
		 * that the backend runs once, in the background, when it starts.
		 * @param tempMaxAge a positive duration, or {@link Duration#ZERO} for no sweep
		 * @return this builder
		 */
		public Builder tempMaxAge(@Nullable Duration tempMaxAge) {
			this.tempMaxAge = tempMaxAge;
			return this;
		}

		/**
		 * Sets whether objects carry metadata (dead properties); see {@link Metadata}.
		 * @param metadata {@link Metadata#AUTO} (the default), {@link Metadata#ENABLED} or
		 * {@link Metadata#DISABLED}
		 * @return this builder
		 */
		public Builder metadata(@Nullable Metadata metadata) {
			this.metadata = metadata;
			return this;
		}

		/**
		 * Sets whether path segments that start with {@code .} (or {@code ~}) are stored with a
		 * {@code ~} in front, for servers that leave names starting with {@code .} out of listings
		 * (nginx's dav-ext module).
		 * @param escapeLeadingDots whether to escape; off by default
		 * @return this builder
		 */
		public Builder escapeLeadingDots(boolean escapeLeadingDots) {
			this.escapeLeadingDots = escapeLeadingDots;
			return this;
		}

		/**
		 * Sets whether the server's {@code PUT} is atomic (a {@code PUT} cut mid-body leaves the
		 * object as it was), so that writes without conditions and metadata may {@code PUT} straight
		 * to the object's path; see {@link WebDavSettings#atomicPut()} for the servers where it holds.
		 * @param atomicPut whether to write so; off by default
		 * @return this builder
		 */
		public Builder atomicPut(boolean atomicPut) {
			this.atomicPut = atomicPut;
			return this;
		}

		/**
		 * Builds the settings.
		 * @return the settings
		 * @throws InvalidSettingException naming the setting whose value is invalid or missing
		 */
		public WebDavSettings build() {
			return new WebDavSettings(parseBaseUrl(this.baseUrl), this.root, this.username, this.password,
					this.maxConnections, this.connectTimeout, this.responseTimeout, this.lockTimeout, this.tempMaxAge,
					this.metadata, this.escapeLeadingDots, this.atomicPut);
		}

	}

}
