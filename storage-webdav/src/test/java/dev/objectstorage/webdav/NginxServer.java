package dev.objectstorage.webdav;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * nginx 1.22 with its {@code dav} module and {@code dav-ext} (Debian packages {@code nginx} and
 * {@code libnginx-mod-http-dav-ext}) as a WebDAV server for the tests: one foreground process
 * ({@code daemon off; master_process off;}) with a configuration, pid file, temporary paths and
 * logs generated into the test's directory, on a free port of 127.0.0.1, HTTP Basic authentication
 * with an htpasswd file. nginx has no {@code PROPPATCH} (so no dead properties), dav-ext leaves names
 * starting with {@code .} out of listings (so the settings escape them), collections have no entity
 * tag and {@code If} headers are ignored. Started once per
 * test JVM ({@link #get()}), stopped by its PID when the JVM exits.
 */
final class NginxServer extends DavTestServer {

	static final Path NGINX = Path.of("/usr/sbin/nginx");

	static final Path DAV_EXT = Path.of("/usr/lib/nginx/modules/ngx_http_dav_ext_module.so");

	private static NginxServer instance;

	private NginxServer() {
		super("nginx");
	}

	static synchronized NginxServer get() {
		require(executable(NGINX) && Files.isRegularFile(DAV_EXT),
				"nginx with dav-ext not installed: apt-get install nginx libnginx-mod-http-dav-ext");
		if (instance == null) {
			NginxServer server = new NginxServer();
			server.start();
			instance = server;
		}
		return instance;
	}

	/**
	 * Settings for a storage under the given root, with the right credentials and escaped leading
	 * dots: dav-ext leaves names starting with {@code .} out of {@code PROPFIND} listings.
	 */
	@Override
	WebDavSettings.Builder settingsBuilder(String root) {
		return super.settingsBuilder(root).escapeLeadingDots(true);
	}

	@Override
	String basePath() {
		return "/dav/";
	}

	@Override
	List<String> prepare(int port) throws IOException {
		Path dir = directory();
		Files.createDirectories(data().resolve("dav"));
		Files.writeString(dir.resolve("htpasswd"), USERNAME + ":{SHA}" + sha1(password()) + "\n");
		StringBuilder conf = new StringBuilder();
		conf.append("load_module ").append(DAV_EXT).append(";\n");
		conf.append("daemon off;\nmaster_process off;\nworker_processes 1;\n");
		conf.append("pid ").append(dir.resolve("run/nginx.pid")).append(";\n");
		conf.append("error_log ").append(dir.resolve("logs/error.log")).append(" warn;\n");
		conf.append("events { worker_connections 256; }\n");
		conf.append("http {\n");
		conf.append("  access_log off;\n");
		for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
			Files.createDirectories(dir.resolve("tmp/" + temp));
			conf.append("  ").append(temp).append("_temp_path ").append(dir.resolve("tmp/" + temp)).append(";\n");
		}
		conf.append("  client_max_body_size 0;\n  keepalive_timeout 15s;\n  keepalive_requests 10000;\n");
		conf.append("  server {\n    listen 127.0.0.1:").append(port).append(";\n");
		conf.append("    root ").append(data()).append(";\n");
		conf.append("    location /dav/ {\n");
		conf.append("      dav_methods PUT DELETE MKCOL COPY MOVE;\n");
		conf.append("      dav_ext_methods PROPFIND OPTIONS;\n");
		conf.append("      create_full_put_path on;\n");
		conf.append("      dav_access user:rw group:rw all:r;\n");
		conf.append("      auth_basic \"webdav-tests\";\n");
		conf.append("      auth_basic_user_file ").append(dir.resolve("htpasswd")).append(";\n");
		conf.append("    }\n  }\n}\n");
		Path file = dir.resolve("nginx.conf");
		Files.writeString(file, conf.toString());
		return List.of(NGINX.toString(), "-p", dir.toString(), "-e", dir.resolve("logs/error.log").toString(), "-c",
				file.toString());
	}

	private static String sha1(String text) {
		try {
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
