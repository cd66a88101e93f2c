package dev.objectstorage.webdav;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * lighttpd 1.4 with {@code mod_webdav} (Debian packages {@code lighttpd} and
 * {@code lighttpd-mod-webdav}) as a WebDAV server for the tests: {@code lighttpd -D} with a
 * configuration generated into the test's directory, on a free port of 127.0.0.1, dead properties
 * and locks in an SQLite database there, HTTP Basic authentication ({@code mod_auth},
 * {@code mod_authn_file}, plain user file). Started once per test JVM ({@link #get()}), stopped by
 * its PID when the JVM exits.
 * <p>
 * What lighttpd 1.4.69 gets wrong, and what the backend makes of it: a successful {@code PROPPATCH}
 * is answered 204 (accepted: any 2xx); only the first property of a {@code prop} holding several is
 * stored (the backend sends one {@code set} per property and reads them back); properties set to
 * the empty string are dropped and a {@code MOVE} onto an existing resource keeps the replaced
 * resource's properties that the moved one lacks (the backend writes every property, absent ones as
 * a blank value); any {@code If: <url> (["etag"])} is answered 412, even with the current tag (the
 * backend notices, then replaces with a plain {@code Overwrite: T}, and prunes empty collections by
 * moving them away instead of a conditional {@code DELETE}).
 */
final class LighttpdServer extends DavTestServer {

	static final Path LIGHTTPD = Path.of("/usr/sbin/lighttpd");

	static final Path MODULES = Path.of("/usr/lib/lighttpd");

	private static LighttpdServer instance;

	private LighttpdServer() {
		super("lighttpd");
	}

	static synchronized LighttpdServer get() {
		require(executable(LIGHTTPD) && Files.isRegularFile(MODULES.resolve("mod_webdav.so")),
				"lighttpd with mod_webdav not installed: apt-get install lighttpd lighttpd-mod-webdav");
		if (instance == null) {
			LighttpdServer server = new LighttpdServer();
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
		Files.writeString(dir.resolve("users"), USERNAME + ":" + password() + "\n");
		String conf = "server.modules = (\"mod_webdav\", \"mod_auth\", \"mod_authn_file\")\n"
				+ "server.module-directory = " + quote(MODULES) + "\n"
				+ "server.document-root = " + quote(data()) + "\n"
				+ "server.bind = \"127.0.0.1\"\n"
				+ "server.port = " + port + "\n"
				+ "server.pid-file = " + quote(dir.resolve("run/lighttpd.pid")) + "\n"
				+ "server.errorlog = " + quote(dir.resolve("logs/error.log")) + "\n"
				+ "server.upload-dirs = (" + quote(dir.resolve("tmp")) + ")\n"
				+ "server.max-request-size = 0\n"
				+ "server.max-keep-alive-requests = 1000\n"
				+ "server.max-keep-alive-idle = 15\n"
				+ "auth.backend = \"plain\"\n"
				+ "auth.backend.plain.userfile = " + quote(dir.resolve("users")) + "\n"
				+ "auth.require = (\"/\" => (\"method\" => \"basic\", \"realm\" => \"webdav-tests\", "
				+ "\"require\" => \"valid-user\"))\n"
				+ "webdav.activate = \"enable\"\n"
				+ "webdav.is-readonly = \"disable\"\n"
				+ "webdav.sqlite-db-name = " + quote(dir.resolve("run/webdav.db")) + "\n";
		Path file = dir.resolve("lighttpd.conf");
		Files.writeString(file, conf);
		return List.of(LIGHTTPD.toString(), "-D", "-f", file.toString());
	}

}
