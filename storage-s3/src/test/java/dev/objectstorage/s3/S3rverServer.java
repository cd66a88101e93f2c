package dev.objectstorage.s3;

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

/**
 * A second real S3 server for the tests: npm's {@code s3rver} 3.7.1, a Node.js process started once
 * per JVM on a free port of 127.0.0.1, keeping its objects in a directory under {@code target/}, and
 * stopped (by its PID) when the JVM exits. It checks AWS signatures against its fixed credentials
 * {@code S3RVER}/{@code S3RVER} and has the bucket {@link #BUCKET}.
 * <p>
 * s3rver implements older S3 semantics, which is why it is here: it stores the SDK's
 * {@code aws-chunked} framing and checksum trailer as the object's content, ignores
 * {@code If-None-Match} and {@code If-Match} on writes and on {@code GET}, and answers
 * {@code Range: bytes=0-0} with the whole object. {@link #settings(String)} are what the
 * documentation advises for such services ({@code checksums=WHEN_REQUIRED},
 * {@code conditionalWrites=DISABLED}).
 * <p>
 * Installation: the first use runs {@code npm ci --ignore-scripts} with the {@code package.json} and
 * {@code package-lock.json} on the class path (they pin s3rver and all its dependencies), into
 * {@code target/s3rver} of the working directory (the module being tested) under a file lock, unless
 * that install is present already; the system property {@code s3rver.home} names another directory.
 * Node.js is started with {@code --openssl-legacy-provider}: s3rver's continuation tokens use DES,
 * without which paginated listings answer 500 on Node.js 17 and later. It needs Node.js 20 or
 * later and npm on the {@code PATH}: without them the tests are skipped, unless the environment
 * variable {@code STORAGE_TEST_REQUIRE_SERVERS=true} (set on CI) makes that a failure.
 */
public final class S3rverServer {

	/** s3rver's fixed access key id. */
	public static final String ACCESS_KEY = "S3RVER";

	/** s3rver's fixed secret key. */
	public static final String SECRET_KEY = "S3RVER";

	/** The bucket the tests share (each test under its own prefix). */
	public static final String BUCKET = "tck";

	private static final String RESOURCES = "/dev/objectstorage/s3/s3rver/";

	private static final String START_SCRIPT = "start.js";

	private static S3rverServer instance;

	private final Process process;

	private final int port;

	private S3rverServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * The shared server, installed and started on first use, with the bucket {@link #BUCKET}.
	 * @return the server
	 */
	public static synchronized S3rverServer get() {
		if (instance == null) {
			checkNode();
			try {
				instance = start(s3rverHome());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start s3rver", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while starting s3rver", ex);
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
			String message = "s3rver needs Node.js 20 or later and npm on the PATH (found: "
					+ (version.isEmpty() ? "no node" : version) + "); install them, e.g. 'apt-get install nodejs npm'";
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				throw new IllegalStateException(message);
			}
			org.junit.jupiter.api.Assumptions.abort(message);
		}
	}

	/**
	 * The endpoint, {@code http://127.0.0.1:<port>}.
	 * @return the endpoint
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Settings for a storage under the given prefix of the shared bucket, as advised for services
	 * with s3rver's gaps: checksums only when required, conditional writes off.
	 * @param prefix the prefix (the test's root), possibly empty
	 * @return the settings
	 */
	public S3Settings settings(String prefix) {
		return S3Settings.builder()
			.bucket(BUCKET)
			.prefix(prefix)
			.endpoint(endpoint())
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials(ACCESS_KEY, SECRET_KEY)
			.checksums(S3Settings.Checksums.WHEN_REQUIRED)
			.conditionalWrites(S3Settings.ConditionalWrites.DISABLED)
			.build();
	}

	// ---------------------------------------------------------------- start, stop

	private static S3rverServer start(Path home) throws IOException, InterruptedException {
		Path script = home.resolve(START_SCRIPT);
		Path target = Paths.get("target").toAbsolutePath();
		Files.createDirectories(target);
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			Path workDir = Files.createTempDirectory(target, "s3rver-run-");
			Path data = Files.createDirectories(workDir.resolve("data"));
			List<String> command = List.of(node(), "--openssl-legacy-provider", script.toString(),
					String.valueOf(port), data.toString(), BUCKET);
			Process process = new ProcessBuilder(command).directory(home.toFile())
				.redirectErrorStream(true)
				.redirectOutput(workDir.resolve("s3rver.log").toFile())
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, workDir)));
			if (waitUntilListening(process, port, workDir.resolve("s3rver.log"), 60_000)) {
				return new S3rverServer(process, port);
			}
			String log = Files.exists(workDir.resolve("s3rver.log"))
					? Files.readString(workDir.resolve("s3rver.log")) : "";
			stop(process, workDir);
			last = new IOException("s3rver did not listen on port " + port + ": " + log);
		}
		throw last;
	}

	/** Until the start script has said so (its buckets exist then) and the port accepts connections. */
	private static boolean waitUntilListening(Process process, int port, Path log, long timeoutMillis)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				return false; // the port was taken meanwhile, or s3rver failed: the caller reports its log
			}
			try (Socket socket = new Socket()) {
				if (!Files.readString(log).contains("s3rver listening on")) {
					throw new IOException("not yet");
				}
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

	/** The directory whose {@code node_modules} holds the pinned s3rver, installed if need be. */
	private static Path s3rverHome() throws IOException, InterruptedException {
		String pinned = pinnedVersion();
		// target/s3rver of the module being tested, unless the system property s3rver.home says otherwise
		String home = System.getProperty("s3rver.home");
		Path dir = (home != null && !home.isBlank()) ? Paths.get(home).toAbsolutePath()
				: Paths.get("target", "s3rver").toAbsolutePath();
		Files.createDirectories(dir);
		// one install at a time, also across JVMs (forked test runs)
		try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE)) {
			FileLock lock = channel.lock();
			try {
				if (!pinned.equals(installedVersion(dir)) || !Files.isRegularFile(dir.resolve(START_SCRIPT))
						|| !sameAsResource(dir.resolve(START_SCRIPT))) {
					install(dir);
				}
				if (!pinned.equals(installedVersion(dir))) {
					throw new IllegalStateException("npm ci did not install s3rver " + pinned + " into " + dir);
				}
			}
			finally {
				lock.release();
			}
		}
		return dir;
	}

	private static void install(Path dir) throws IOException, InterruptedException {
		for (String file : List.of("package.json", "package-lock.json", START_SCRIPT)) {
			try (InputStream in = S3rverServer.class.getResourceAsStream(RESOURCES + file)) {
				if (in == null) {
					throw new IllegalStateException(RESOURCES + file + " is not on the class path");
				}
				Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		// exact versions from the lockfile; no install scripts (s3rver needs none); quiet
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

	private static boolean sameAsResource(Path file) throws IOException {
		try (InputStream in = S3rverServer.class.getResourceAsStream(RESOURCES + START_SCRIPT)) {
			return in != null && java.util.Arrays.equals(in.readAllBytes(), Files.readAllBytes(file));
		}
	}

	private static String pinnedVersion() throws IOException {
		try (InputStream in = S3rverServer.class.getResourceAsStream(RESOURCES + "package.json")) {
			if (in == null) {
				throw new IllegalStateException(RESOURCES + "package.json is not on the class path");
			}
			return version(new String(in.readAllBytes(), StandardCharsets.UTF_8), "\"s3rver\"\\s*:\\s*\"([^\"]+)\"");
		}
	}

	private static String installedVersion(Path dir) throws IOException {
		Path manifest = dir.resolve("node_modules/s3rver/package.json");
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
