package dev.objectstorage.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code rclone serve webdav} 1.60 (Debian package {@code rclone}; Go's {@code x/net/webdav}, which
 * has no dead-property store) as a WebDAV server for the tests: serving a directory in the test's
 * directory on a free port of 127.0.0.1, with HTTP Basic authentication and an empty rclone
 * configuration file of its own. Started once per test JVM ({@link #get()}), stopped by its PID when
 * the JVM exits.
 * <p>
 * What it gets wrong, and what the backend makes of it: {@code PROPPATCH} answers 207 with 403 per
 * property (the metadata probe finds no dead-property store: metadata capabilities off); a
 * {@code Depth} other than {@code infinity} on {@code MOVE}/{@code COPY} is a 400 (the backend sends
 * none for resources); collections have no entity tag (empty collections are pruned by moving them
 * away); a concurrent {@code MKCOL} of the same collection is answered 423 (tried again).
 */
final class RcloneWebDavServer extends DavTestServer {

	static final Path RCLONE = Path.of("/usr/bin/rclone");

	private static RcloneWebDavServer instance;

	private RcloneWebDavServer() {
		super("rclone");
	}

	static synchronized RcloneWebDavServer get() {
		require(executable(RCLONE), "rclone not installed: apt-get install rclone");
		if (instance == null) {
			RcloneWebDavServer server = new RcloneWebDavServer();
			server.start();
			instance = server;
		}
		return instance;
	}

	@Override
	String basePath() {
		return "/";
	}

	@Override
	List<String> prepare(int port) throws IOException {
		Path dir = directory();
		Path config = dir.resolve("rclone.conf");
		Files.writeString(config, "");
		return List.of(RCLONE.toString(), "serve", "webdav", data().toString(), "--addr", "127.0.0.1:" + port,
				"--user", USERNAME, "--pass", password(), "--config", config.toString(), "--log-file",
				dir.resolve("logs/rclone.log").toString(), "--cache-dir", dir.resolve("tmp").toString());
	}

}
