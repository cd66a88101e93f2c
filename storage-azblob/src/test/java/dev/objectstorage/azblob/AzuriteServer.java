package dev.objectstorage.azblob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.azure.storage.blob.BlobContainerAsyncClient;

/**
 * A real Azure Blob Storage server for the tests: Azurite's blob service, a Node.js process started
 * once per JVM on a free port of 127.0.0.1, keeping its data in memory, and stopped when the JVM
 * exits. It authenticates requests with Azurite's well-known development account
 * ({@code devstoreaccount1} and its published key, a throwaway that only works against emulators).
 * <p>
 * Installation: the first use runs {@code npm ci} with the {@code package.json} and
 * {@code package-lock.json} on the class path (they pin Azurite {@code 3.37.0} and all its
 * dependencies), into {@code target/azurite} of the working directory (the module being tested),
 * unless that install is present already. It needs Node.js 20 or later (Azurite's package asks for
 * 22; 20 is what the build is tested with) and npm on the {@code PATH}: without them the tests are
 * skipped, unless the environment variable {@code STORAGE_TEST_REQUIRE_SERVERS=true} (set on CI)
 * makes that a failure.
 * The system property {@code azurite.home} points at another directory holding
 * {@code node_modules/azurite} instead; {@code azurite.version}, when set (the build sets it from
 * the root pom), must match the pinned version.
 * <pre>{@code
 * AzureBlobSettings settings = AzuriteServer.get().settings("my-prefix");
 * }</pre>
 */
public final class AzuriteServer {

	/** Azurite's development account, documented for its emulators. */
	public static final String ACCOUNT_NAME = "devstoreaccount1";

	/** The development account's published key; it only ever works against emulators. */
	public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	/** The container the tests share (each test under its own prefix). */
	public static final String CONTAINER = "tck";

	private static final String RESOURCES = "/dev/objectstorage/azblob/azurite/";

	private static AzuriteServer instance;

	private final Process process;

	private final int port;

	private AzuriteServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * The shared server, installed and started on first use, with the container {@link #CONTAINER}.
	 * @return the server
	 */
	public static synchronized AzuriteServer get() {
		if (instance == null) {
			checkNode();
			try {
				instance = start(azuriteHome());
				instance.createContainer(CONTAINER);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start Azurite", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while starting Azurite", ex);
			}
		}
		return instance;
	}

	/** Skips (or, where servers are required, fails) when Node.js 20+ is not on the path. */
	private static void checkNode() {
		String version;
		try {
			Process process = new ProcessBuilder(node(), "--version").redirectErrorStream(true).start();
			version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				version = "";
			}
		}
		catch (IOException ex) {
			version = "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			version = "";
		}
		Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
		boolean node20 = major.find() && Integer.parseInt(major.group(1)) >= 20;
		if (node20 && !runs(npm(), "--version")) {
			version = version + ", no npm";
		}
		if (!node20 || version.endsWith("no npm")) {
			String message = "Azurite needs Node.js 20 or later and npm on the PATH (found: "
					+ (version.isEmpty() ? "no node" : version) + "); install them, e.g. 'apt-get install nodejs npm'";
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				throw new IllegalStateException(message);
			}
			org.junit.jupiter.api.Assumptions.abort(message);
		}
	}

	/**
	 * The blob service endpoint, {@code http://127.0.0.1:<port>/devstoreaccount1}.
	 * @return the endpoint
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port + "/" + ACCOUNT_NAME);
	}

	/**
	 * Settings for a storage under the given prefix of the shared container.
	 * @param prefix the prefix (the test's root), possibly empty
	 * @return the settings
	 */
	public AzureBlobSettings settings(String prefix) {
		return AzureBlobSettings.builder()
			.endpoint(endpoint())
			.accountName(ACCOUNT_NAME)
			.accountKey(ACCOUNT_KEY)
			.container(CONTAINER)
			.prefix(prefix)
			.build();
	}

	/**
	 * A connection string for this server, for clients configured that way.
	 * @return the connection string
	 */
	public String connectionString() {
		return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
				+ ";BlobEndpoint=" + endpoint() + ";";
	}

	/**
	 * Creates a container if it does not exist.
	 * @param name the container's name
	 */
	public void createContainer(String name) {
		BlobContainerAsyncClient client = AzureBlobBackend.createClient(settings("").toBuilder().container(name).build());
		client.createIfNotExists().block(java.time.Duration.ofSeconds(30));
	}

	// ---------------------------------------------------------------- start, stop

	private static AzuriteServer start(Path home) throws IOException, InterruptedException {
		Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			Path workDir = Files.createTempDirectory("azurite-");
			// Azurite keeps its data in memory (none of it survives the process) and writes no debug log;
			// with -Dazurite.on-disk=true in files of its work directory (deleted with it): the benchmark's
			// repeated overwrites outgrow the in-memory store (409 MemoryExtentStoreAtSizeLimit at half the
			// machine's memory), since Azurite frees the extents of overwritten blobs only every few minutes
			List<String> command = new ArrayList<>(List.of(node(), main.toString(), "--blobHost", "127.0.0.1",
					"--blobPort", String.valueOf(port), "--disableTelemetry", "--silent"));
			if (Boolean.getBoolean("azurite.on-disk")) {
				command.addAll(List.of("--location", workDir.resolve("data").toString()));
			}
			else {
				command.add("--inMemoryPersistence");
			}
			Process process = new ProcessBuilder(command).directory(workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(workDir.resolve("azurite.log").toFile())
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, workDir)));
			if (waitUntilListening(process, port, 60_000)) {
				return new AzuriteServer(process, port);
			}
			String log = Files.exists(workDir.resolve("azurite.log"))
					? Files.readString(workDir.resolve("azurite.log")) : "";
			stop(process, workDir);
			last = new IOException("Azurite did not listen on port " + port + ": " + log);
		}
		throw last;
	}

	private static boolean waitUntilListening(Process process, int port, long timeoutMillis)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				return false; // the port was taken meanwhile, or Azurite failed: the caller reports its log
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return true;
			}
			catch (IOException ex) {
				Thread.sleep(100);
			}
		}
		return false;
	}

	private static void stop(Process process, Path workDir) {
		process.descendants().forEach(ProcessHandle::destroy);
		process.destroy();
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(workDir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temp directory left behind
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	// ---------------------------------------------------------------- install

	/** The directory whose {@code node_modules} holds the pinned Azurite, installed if need be. */
	private static Path azuriteHome() throws IOException, InterruptedException {
		String pinned = pinnedVersion();
		String expected = System.getProperty("azurite.version");
		if (expected != null && !expected.isBlank() && !expected.equals(pinned)) {
			throw new IllegalStateException("The build asks for Azurite " + expected + " but " + RESOURCES
					+ "package-lock.json pins " + pinned + ": regenerate it with 'npm install --package-lock-only'"
					+ " after changing package.json");
		}
		// the build points every module at one install (the parent pom's azurite.home); target/azurite otherwise
		String home = System.getProperty("azurite.home");
		Path dir = (home != null && !home.isBlank()) ? Paths.get(home).toAbsolutePath()
				: Paths.get("target", "azurite").toAbsolutePath();
		Files.createDirectories(dir);
		// one install at a time, also across JVMs (forked test runs)
		try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE)) {
			FileLock lock = channel.lock();
			try {
				if (!pinned.equals(installedVersion(dir))) {
					install(dir);
				}
				if (!pinned.equals(installedVersion(dir))) {
					throw new IllegalStateException("npm ci did not install Azurite " + pinned + " into " + dir);
				}
			}
			finally {
				lock.release();
			}
		}
		return dir;
	}

	private static void install(Path dir) throws IOException, InterruptedException {
		for (String file : List.of("package.json", "package-lock.json")) {
			try (InputStream in = AzuriteServer.class.getResourceAsStream(RESOURCES + file)) {
				if (in == null) {
					throw new IllegalStateException(RESOURCES + file + " is not on the class path");
				}
				Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		// exact versions from the lockfile; no install scripts (Azurite needs none); quiet
		List<String> command = new ArrayList<>(List.of(npm(), "ci", "--no-audit", "--no-fund", "--ignore-scripts",
				"--loglevel=error"));
		Path log = dir.resolve("npm-ci.log");
		Process npm = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!npm.waitFor(10, TimeUnit.MINUTES)) {
			npm.destroyForcibly();
			throw new IOException("npm ci timed out in " + dir);
		}
		if (npm.exitValue() != 0) {
			throw new IOException("npm ci failed in " + dir + " (exit " + npm.exitValue() + "):\n"
					+ Files.readString(log));
		}
	}

	private static String pinnedVersion() throws IOException {
		try (InputStream in = AzuriteServer.class.getResourceAsStream(RESOURCES + "package.json")) {
			if (in == null) {
				throw new IllegalStateException(RESOURCES + "package.json is not on the class path");
			}
			return version(new String(in.readAllBytes(), StandardCharsets.UTF_8), "\"azurite\"\\s*:\\s*\"([^\"]+)\"");
		}
	}

	private static String installedVersion(Path dir) throws IOException {
		Path manifest = dir.resolve("node_modules/azurite/package.json");
		if (!Files.isRegularFile(manifest)) {
			return "";
		}
		return version(Files.readString(manifest), "\"version\"\\s*:\\s*\"([^\"]+)\"");
	}

	private static String version(String json, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(json);
		return matcher.find() ? matcher.group(1) : "";
	}

	/** Whether a command runs and exits with 0 (within 60 s). */
	private static boolean runs(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return false;
			}
			return process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static String node() {
		return windows() ? "node.exe" : "node";
	}

	private static String npm() {
		return windows() ? "npm.cmd" : "npm";
	}

	private static boolean windows() {
		return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
	}

}
