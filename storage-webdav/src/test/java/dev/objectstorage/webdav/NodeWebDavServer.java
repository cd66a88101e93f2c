package dev.objectstorage.webdav;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * npm's {@code webdav-server} 2.6.3 as a WebDAV server for the tests: a few lines of Node
 * ({@code server.js} next to the committed {@code package.json} and {@code package-lock.json} in
 * {@value #RESOURCES}) serving a directory of the test's directory through a
 * {@code PhysicalFileSystem}, on a free port of 127.0.0.1, with HTTP Basic authentication over a
 * {@code SimpleUserManager}. The pinned package is installed with {@code npm ci} into
 * {@code target/webdav-server} on first use (one install at a time, also across JVMs). Needs
 * Node.js 20 and npm on the {@code PATH}. Started once per test JVM ({@link #get()}), stopped by
 * its PID when the JVM exits.
 * <p>
 * What it gets wrong, and what the backend makes of it: property namespaces are split at their
 * last {@code :} ({@code urn:x-objectstorage:webdav} becomes {@code urn:x-objectstorage:}) while
 * {@code PROPPATCH} answers 200 (the metadata probe reads the properties back and finds them
 * missing: metadata capabilities off); a {@code PROPPATCH} of several {@code set}s makes it answer
 * twice and throw outside any handler, which would end the process (the script logs that and keeps
 * serving); a range starting past the end is answered 206 with the last byte (the backend resolves
 * ranges against the size from {@code PROPFIND} and never sends such a range).
 */
final class NodeWebDavServer extends DavTestServer {

	static final String RESOURCES = "/dev/objectstorage/webdav/webdav-server/";

	private static NodeWebDavServer instance;

	private final Path home;

	private NodeWebDavServer(Path home) {
		super("node");
		this.home = home;
	}

	static synchronized NodeWebDavServer get() {
		require(runs("node", "--version") && runs("npm", "--version"),
				"Node.js 20 and npm are needed on the PATH for npm's webdav-server (apt-get install nodejs npm)");
		if (instance == null) {
			try {
				NodeWebDavServer server = new NodeWebDavServer(install());
				server.start();
				instance = server;
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException("Could not install npm webdav-server", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return instance;
	}

	@Override
	String basePath() {
		return "/";
	}

	@Override
	List<String> prepare(int port) {
		return List.of("node", this.home.resolve("server.js").toString(), String.valueOf(port), data().toString(),
				USERNAME, password(), directory().resolve("run/node.pid").toString());
	}

	/** Installs the pinned package (if not yet) and the script; returns the directory. */
	private static Path install() throws IOException, InterruptedException {
		String pinned = version(resource("package.json"), "\"webdav-server\"\\s*:\\s*\"([^\"]+)\"");
		Path dir = Paths.get("target", "webdav-server").toAbsolutePath();
		Files.createDirectories(dir);
		try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE)) {
			FileLock lock = channel.lock();
			try {
				for (String file : List.of("package.json", "package-lock.json", "server.js")) {
					try (InputStream in = NodeWebDavServer.class.getResourceAsStream(RESOURCES + file)) {
						if (in == null) {
							throw new IllegalStateException(RESOURCES + file + " is not on the class path");
						}
						Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
					}
				}
				if (!pinned.equals(installedVersion(dir))) {
					Path log = dir.resolve("npm-ci.log");
					Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts",
							"--loglevel=error")
						.directory(dir.toFile())
						.redirectErrorStream(true)
						.redirectOutput(log.toFile())
						.start();
					if (!npm.waitFor(10, TimeUnit.MINUTES)) {
						npm.destroyForcibly();
						throw new IOException("npm ci timed out in " + dir);
					}
					if (npm.exitValue() != 0 || !pinned.equals(installedVersion(dir))) {
						throw new IOException("npm ci did not install webdav-server " + pinned + " into " + dir
								+ ":\n" + Files.readString(log));
					}
				}
			}
			finally {
				lock.release();
			}
		}
		return dir;
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = NodeWebDavServer.class.getResourceAsStream(RESOURCES + name)) {
			if (in == null) {
				throw new IllegalStateException(RESOURCES + name + " is not on the class path");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String installedVersion(Path dir) throws IOException {
		Path manifest = dir.resolve("node_modules/webdav-server/package.json");
		return Files.isRegularFile(manifest) ? version(Files.readString(manifest), "\"version\"\\s*:\\s*\"([^\"]+)\"")
				: "";
	}

	private static String version(String json, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(json);
		return matcher.find() ? matcher.group(1) : "";
	}

}
