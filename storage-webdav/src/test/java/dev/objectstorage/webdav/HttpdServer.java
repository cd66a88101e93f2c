package dev.objectstorage.webdav;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real WebDAV server for the tests: Apache httpd with mod_dav and mod_dav_fs from the Debian
 * package {@code apache2}, run from a configuration generated into a temporary directory, on a free
 * port of 127.0.0.1. Started once per test JVM ({@link #get()}) and stopped when it exits.
 * <ul>
 * <li>{@code /dav/} is open; {@code /secure/} asks for HTTP Basic authentication with a throwaway
 * user ({@link #USERNAME}) whose random password is generated at start.</li>
 * <li>As root, httpd's children run as {@code www-data} (or {@code nobody}), which is made the
 * owner of the temporary directory; as another user they run as that user.</li>
 * <li>Without {@code /usr/sbin/apache2} the tests are skipped, unless the environment variable
 * {@code STORAGE_TEST_REQUIRE_SERVERS=true} (set on CI) makes that a failure.</li>
 * </ul>
 */
public final class HttpdServer {

	/** The httpd binary of Debian's {@code apache2} package. */
	public static final Path APACHE2 = Path.of("/usr/sbin/apache2");

	/** The modules of Debian's {@code apache2} package. */
	public static final Path MODULES = Path.of("/usr/lib/apache2/modules");

	/** The user of the Basic-authenticated area. */
	public static final String USERNAME = "tck-user";

	private static final List<String> MODULE_NAMES = List.of("mpm_event", "authz_core", "authn_core", "authn_file",
			"auth_basic", "authz_user", "dav", "dav_fs");

	private static HttpdServer instance;

	private final Path directory;

	private final int port;

	private final String password;

	private final Process process;

	private HttpdServer() throws IOException, InterruptedException, java.security.NoSuchAlgorithmException {
		this.directory = Files.createTempDirectory("httpd-webdav-");
		this.password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
		for (String sub : List.of("logs", "run", "lock", "data/dav", "data/secure")) {
			Files.createDirectories(this.directory.resolve(sub));
		}
		Files.writeString(this.directory.resolve("htpasswd"), USERNAME + ":{SHA}" + Base64.getEncoder()
			.encodeToString(MessageDigest.getInstance("SHA-1").digest(this.password.getBytes(StandardCharsets.UTF_8)))
				+ "\n");
		String runAs = isRoot() ? childUser() : null;
		if (runAs != null) {
			chown(this.directory, runAs);
		}
		Process started = null;
		int chosen = 0;
		for (int attempt = 0; attempt < 5 && started == null; attempt++) {
			chosen = freePort();
			Path conf = this.directory.resolve("httpd.conf");
			Files.writeString(conf, config(chosen, runAs));
			Process candidate = new ProcessBuilder(APACHE2.toString(), "-f", conf.toString(), "-DFOREGROUND")
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("logs/console.log").toFile())
				.start();
			if (awaitPort(candidate, chosen)) {
				started = candidate;
			}
			else {
				stop(candidate);
			}
		}
		if (started == null) {
			throw new IllegalStateException("httpd did not start; its logs:\n" + logs());
		}
		this.port = chosen;
		this.process = started;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stop(this.process);
			deleteQuietly(this.directory);
		}, "httpd-webdav-stop"));
	}

	/**
	 * The shared server, started on first use.
	 * @return the server
	 */
	public static synchronized HttpdServer get() {
		checkInstalled();
		if (instance == null) {
			try {
				instance = new HttpdServer();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start httpd", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while starting httpd", ex);
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return instance;
	}

	/**
	 * Skips the calling test (a JUnit assumption) when httpd is not installed, or fails it when the
	 * environment variable {@code STORAGE_TEST_REQUIRE_SERVERS} is {@code true}.
	 */
	public static void checkInstalled() {
		if (!Files.isExecutable(APACHE2) || !Files.isDirectory(MODULES)) {
			String message = "apache2 not installed: apt-get install apache2";
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				throw new IllegalStateException(message);
			}
			Assumptions.abort(message);
		}
	}

	/**
	 * Settings for a storage under the given root of the open area.
	 * @param root the root collection (created on the first write)
	 * @return the settings
	 */
	public WebDavSettings settings(String root) {
		return WebDavSettings.builder(baseUrl().toString()).root(root).build();
	}

	/**
	 * Settings for a storage under the given root of the area that needs Basic authentication,
	 * with the right credentials.
	 * @param root the root collection
	 * @return the settings
	 */
	public WebDavSettings securedSettings(String root) {
		return WebDavSettings.builder("http://127.0.0.1:" + this.port + "/secure/")
			.root(root)
			.credentials(USERNAME, this.password)
			.build();
	}

	/**
	 * The base URL of the open area.
	 * @return the URL
	 */
	public URI baseUrl() {
		return URI.create("http://127.0.0.1:" + this.port + "/dav/");
	}

	/**
	 * The directory that holds the open area's files, to look at the server's disk.
	 * @return the directory
	 */
	public Path documentRoot() {
		return this.directory.resolve("data/dav");
	}

	/**
	 * The throwaway password of {@link #USERNAME}.
	 * @return the password
	 */
	public String password() {
		return this.password;
	}

	/**
	 * The server's error log, for diagnostics.
	 * @return the log's text
	 */
	public String logs() {
		StringBuilder text = new StringBuilder();
		for (String name : List.of("logs/error.log", "logs/console.log")) {
			try {
				text.append(Files.readString(this.directory.resolve(name)));
			}
			catch (IOException ex) {
				// not written (yet)
			}
		}
		return text.toString();
	}

	private String config(int port, String runAs) {
		Path dir = this.directory;
		StringBuilder conf = new StringBuilder();
		conf.append("ServerRoot \"").append(dir).append("\"\n");
		conf.append("ServerName 127.0.0.1\n");
		conf.append("Listen 127.0.0.1:").append(port).append('\n');
		conf.append("PidFile \"").append(dir.resolve("run/httpd.pid")).append("\"\n");
		conf.append("DefaultRuntimeDir \"").append(dir.resolve("run")).append("\"\n");
		conf.append("ErrorLog \"").append(dir.resolve("logs/error.log")).append("\"\n");
		conf.append("LogLevel warn\n");
		for (String module : MODULE_NAMES) {
			conf.append("LoadModule ").append(module).append("_module \"").append(MODULES.resolve("mod_" + module + ".so"))
				.append("\"\n");
		}
		if (runAs != null) {
			conf.append("User ").append(runAs).append('\n');
			conf.append("Group ").append(groupOf(runAs)).append('\n');
		}
		// no limits on uploads and PROPPATCH bodies; long-lived connections for the client's pool
		conf.append("Timeout 60\nKeepAlive On\nMaxKeepAliveRequests 0\nKeepAliveTimeout 15\n");
		conf.append("LimitRequestBody 0\nLimitXMLRequestBody 0\n");
		conf.append("StartServers 1\nServerLimit 4\nThreadsPerChild 32\nMaxRequestWorkers 128\n");
		conf.append("MinSpareThreads 16\nMaxSpareThreads 96\n");
		conf.append("DavLockDB \"").append(dir.resolve("lock/davlock")).append("\"\n");
		conf.append("DocumentRoot \"").append(dir.resolve("data")).append("\"\n");
		conf.append("<Directory />\n  Require all denied\n  AllowOverride None\n</Directory>\n");
		conf.append("<Directory \"").append(dir.resolve("data")).append("\">\n");
		conf.append("  Dav On\n  Options None\n  AllowOverride None\n  Require all granted\n</Directory>\n");
		conf.append("<Directory \"").append(dir.resolve("data/secure")).append("\">\n");
		conf.append("  AuthType Basic\n  AuthName \"webdav-tests\"\n  AuthBasicProvider file\n");
		conf.append("  AuthUserFile \"").append(dir.resolve("htpasswd")).append("\"\n");
		conf.append("  Require valid-user\n</Directory>\n");
		return conf.toString();
	}

	private static boolean isRoot() {
		try {
			return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	/** The unprivileged user httpd's children switch to when started as root. */
	private static String childUser() throws IOException {
		String passwd = Files.readString(Path.of("/etc/passwd"));
		for (String candidate : List.of("www-data", "daemon", "nobody")) {
			if (passwd.contains("\n" + candidate + ":") || passwd.startsWith(candidate + ":")) {
				return candidate;
			}
		}
		throw new IllegalStateException("No unprivileged user (www-data, daemon, nobody) for httpd's children");
	}

	private static String groupOf(String user) {
		try {
			String passwd = Files.readString(Path.of("/etc/passwd"));
			for (String line : passwd.split("\n")) {
				String[] fields = line.split(":");
				if (fields.length > 3 && fields[0].equals(user)) {
					return "#" + fields[3];
				}
			}
		}
		catch (IOException ex) {
			// fall through
		}
		return user;
	}

	private static void chown(Path root, String user) throws IOException {
		UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
		UserPrincipal owner = lookup.lookupPrincipalByName(user);
		String group = groupOf(user);
		GroupPrincipal groupPrincipal = null;
		try {
			groupPrincipal = lookup.lookupPrincipalByGroupName(group.startsWith("#") ? group.substring(1) : group);
		}
		catch (IOException ex) {
			// keep the group
		}
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
				view.setOwner(owner);
				if (groupPrincipal != null) {
					view.setGroup(groupPrincipal);
				}
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean awaitPort(Process process, int port) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				return false;
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return true;
			}
			catch (IOException ex) {
				Thread.sleep(50);
			}
		}
		return false;
	}

	private static void stop(Process process) {
		List<ProcessHandle> children = process.descendants().toList();
		process.destroy(); // SIGTERM: httpd stops its children
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		children.forEach(ProcessHandle::destroyForcibly);
	}

	private static void deleteQuietly(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// best effort at exit
				}
			});
		}
		catch (IOException ex) {
			// best effort at exit
		}
	}

}
