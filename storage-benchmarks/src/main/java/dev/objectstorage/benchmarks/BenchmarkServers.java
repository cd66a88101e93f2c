package dev.objectstorage.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.objectstorage.azblob.AzuriteServer;
import dev.objectstorage.s3.S3ProxyServer;
import dev.objectstorage.sftp.EmbeddedSftpServer;
import dev.objectstorage.webdav.HttpdServer;

/**
 * The network stores' servers for one benchmark run, in a process of their own: S3Proxy (in-memory
 * store) and MINA SSHD's SFTP server in this JVM, Azurite (a Node.js process) and Apache httpd with
 * mod_dav_fs (a process) started from it, all on 127.0.0.1 with throwaway credentials (those of the
 * tests' harnesses, which this reuses). {@code run-benchmarks.sh} starts it once, before JMH, and
 * stops it (SIGTERM; the harnesses' shutdown hooks stop Azurite and httpd) when JMH is done; every
 * benchmark fork gets the endpoints as system properties, so no server runs in a benchmark's JVM
 * and none is started per fork.
 * <p>
 * Usage: {@code BenchmarkServers <properties file> [s3] [azblob] [webdav] [sftp]} (all four
 * without a list). Once every server listens, it writes the system properties the subjects read
 * ({@link #S3_ENDPOINT} and the others) into the file as plain {@code key=value} lines (no
 * escapes), then runs until it is stopped. A server that
 * cannot start here (no Node.js, no apache2) is reported and left out of the file.
 */
public final class BenchmarkServers {

	/** S3Proxy's endpoint, {@code http://127.0.0.1:<port>}; bucket and keys are those of the tests. */
	public static final String S3_ENDPOINT = "bench.s3.endpoint";

	/** Azurite's blob endpoint, {@code http://127.0.0.1:<port>/devstoreaccount1}. */
	public static final String AZBLOB_ENDPOINT = "bench.azblob.endpoint";

	/** httpd's WebDAV area, {@code http://127.0.0.1:<port>/dav/}. */
	public static final String WEBDAV_URL = "bench.webdav.url";

	/** The SFTP server's port on 127.0.0.1. */
	public static final String SFTP_PORT = "bench.sftp.port";

	/** A file holding the SFTP user's throwaway private key. */
	public static final String SFTP_PRIVATE_KEY = "bench.sftp.privateKey";

	/** The {@code known_hosts} file listing the SFTP server's host key. */
	public static final String SFTP_KNOWN_HOSTS = "bench.sftp.knownHosts";

	private BenchmarkServers() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 1) {
			System.err.println("usage: BenchmarkServers <properties file> [s3] [azblob] [webdav] [sftp]");
			System.exit(2);
		}
		Path file = Path.of(args[0]).toAbsolutePath();
		List<String> servers = (args.length > 1) ? List.of(args).subList(1, args.length)
				: List.of("s3", "azblob", "webdav", "sftp");
		// a run overwrites Azure blobs for minutes: more than Azurite's in-memory store holds
		System.setProperty("azurite.on-disk", "true");
		Properties properties = new Properties();
		List<String> missing = new ArrayList<>();
		for (String server : servers) {
			try {
				start(server, properties, file.getParent());
			}
			catch (RuntimeException ex) {
				// the harnesses skip with an install hint (a JUnit assumption) when Node.js or apache2 is missing
				System.err.println("BenchmarkServers: " + server + " did not start: " + ex.getMessage());
				missing.add(server);
			}
		}
		// key=value lines, unescaped (Properties.store would escape the URLs' colons), for the script to pass on
		StringBuilder text = new StringBuilder("# servers of one benchmark run (pid " + ProcessHandle.current().pid()
				+ ")" + (missing.isEmpty() ? "" : "; not started: " + String.join(", ", missing)) + "\n");
		properties.stringPropertyNames().stream().sorted()
			.forEach((key) -> text.append(key).append('=').append(properties.getProperty(key)).append('\n'));
		Path temp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(temp, text, StandardCharsets.UTF_8);
		Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		System.out.println("BenchmarkServers: " + properties);
		// until SIGTERM; the shutdown hooks of the harnesses stop the servers and their processes
		Thread.currentThread().join();
	}

	private static void start(String server, Properties properties, Path directory) throws IOException {
		switch (server) {
			case "s3" -> properties.setProperty(S3_ENDPOINT, S3ProxyServer.get().endpoint().toString());
			case "azblob" -> properties.setProperty(AZBLOB_ENDPOINT, AzuriteServer.get().endpoint().toString());
			case "webdav" -> properties.setProperty(WEBDAV_URL, HttpdServer.get().baseUrl().toString());
			case "sftp" -> {
				EmbeddedSftpServer sftp = EmbeddedSftpServer.get();
				Path key = directory.resolve("sftp-client-key");
				Files.writeString(key, sftp.privateKey(), StandardCharsets.US_ASCII);
				properties.setProperty(SFTP_PORT, String.valueOf(sftp.port()));
				properties.setProperty(SFTP_PRIVATE_KEY, key.toString());
				properties.setProperty(SFTP_KNOWN_HOSTS, sftp.knownHosts().toString());
			}
			default -> throw new IllegalArgumentException("unknown server " + server);
		}
	}

}
