package dev.objectstorage.sample;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.objectstorage.s3.S3ProxyServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load: the sample app in its own JVM with {@code -Xmx256m}, 32 clients writing and reading files
 * of 1 KiB to 32 MiB for 30 s each on fs and on S3 (S3Proxy), every download checked by SHA-256
 * against what was uploaded. Zero mismatches, zero lost files, and the app stays up within its heap.
 * Also: 19 000 hoarded connections do not keep a small GET from being answered within a second.
 * Not in the default build: {@code ./mvnw -B -pl sample-app -am verify -Pload}.
 */
@Tag("load")
class LoadTests {

	private static final int CLIENTS = 32;

	private static final Duration DURATION = Duration.ofSeconds(30);

	private static final int[] SIZES = { 1024, 16 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024, 32 * 1024 * 1024 };

	/** Most requests are small; one in 40 is the 32 MiB one. */
	private static final int[] WEIGHTS = { 12, 10, 8, 6, 3, 1 };

	@Test
	void fs() throws Exception {
		Path root = Files.createTempDirectory("load-fs");
		try {
			run("fs", List.of("--storage.type=fs", "--storage.fs.root=" + root));
		}
		finally {
			FileSystemUtils.deleteRecursively(root);
		}
	}

	@Test
	void s3() throws Exception {
		S3ProxyServer server = S3ProxyServer.get();
		run("s3", List.of("--spring.profiles.active=s3", "--storage.s3.prefix=load-" + System.nanoTime()),
				"S3_BUCKET", S3ProxyServer.BUCKET, "S3_ENDPOINT", server.endpoint().toString(), "S3_ACCESS_KEY_ID",
				S3ProxyServer.ACCESS_KEY, "S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
	}

	/**
	 * 19 000 connections held open (half of them idle, half sending headers a byte at a time) do not
	 * keep the app from answering a small GET within a second: past {@code sample.max-connections}
	 * the oldest connection still waiting for its headers makes room, and each times out after
	 * {@code sample.header-timeout}.
	 */
	@Test
	void hoardedConnections() throws Exception {
		Path root = Files.createTempDirectory("load-hoard");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path log = Files.createTempFile("load-app-hoard", ".log");
		Process app = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(),
				"--server.port=" + port, "--storage.fs.root=" + root))
			.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		List<java.net.Socket> held = new ArrayList<>();
		try {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			String base = "http://127.0.0.1:" + port;
			waitUntilUp(http, base, app, log);
			for (int i = 0; i < 19_000; i++) {
				try {
					java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
					if (i % 2 == 1) {
						socket.getOutputStream().write("GET /files HTTP/1.1\r\nHost: 127.0.0.1\r\nX-".getBytes());
					}
					held.add(socket);
				}
				catch (java.io.IOException ex) {
					break; // this process's own descriptors ran out: hold what we have
				}
			}
			long worst = 0;
			for (int i = 0; i < 10; i++) {
				long t0 = System.nanoTime();
				int status = http.send(HttpRequest.newBuilder(URI.create(base + "/files?limit=1"))
					.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
				worst = Math.max(worst, System.nanoTime() - t0);
				assertThat(status).isEqualTo(200);
			}
			System.out.printf("%n[load hoard] %d connections held, slowest of 10 GETs %d ms%n%n", held.size(),
					worst / 1_000_000);
			assertThat(Duration.ofNanos(worst)).as("slowest GET while connections are hoarded")
				.isLessThan(Duration.ofSeconds(1));
			assertThat(app.isAlive()).isTrue();
		}
		finally {
			for (java.net.Socket socket : held) {
				socket.close();
			}
			app.destroy();
			app.waitFor();
			FileSystemUtils.deleteRecursively(root);
		}
	}

	private void run(String name, List<String> args, String... environment) throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-Dio.netty.leakDetection.level=paranoid", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--server.port=" + port, "--sample.max-upload-size=64MB"));
		command.addAll(args);
		Path log = Files.createTempFile("load-app-" + name, ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		for (int i = 0; i < environment.length; i += 2) {
			builder.environment().put(environment[i], environment[i + 1]);
		}
		Process app = builder.start();
		try {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			String base = "http://127.0.0.1:" + port;
			waitUntilUp(http, base, app, log);
			Stats stats = load(http, base);
			String output = Files.readString(log);
			System.out.printf("%n[load %s] %d uploads, %d downloads, %.1f MiB/s, p50 %d ms, p99 %d ms, mismatches %d, lost %d%n%n",
					name, stats.uploads.get(), stats.downloads.get(), stats.bytes.get() / 1048576.0 / DURATION.toSeconds(),
					stats.percentile(0.50), stats.percentile(0.99), stats.mismatches.get(), stats.lost.get());
			assertThat(stats.mismatches.get()).as("downloads that differ from their upload").isZero();
			assertThat(stats.lost.get()).as("uploads that could not be read back").isZero();
			assertThat(stats.failures).as("failed requests").isEmpty();
			assertThat(stats.uploads.get()).isPositive();
			assertThat(app.isAlive()).as("the app survived within -Xmx256m").isTrue();
			assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("LEAK:");
		}
		finally {
			app.destroy();
			app.waitFor();
		}
	}

	private static void waitUntilUp(HttpClient http, String base, Process app, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(app.isAlive()).as("app process; log: %s", log).isTrue();
			try {
				if (http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (java.io.IOException ex) {
				// not up yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the app did not start; see " + log);
	}

	private static Stats load(HttpClient http, String base) throws Exception {
		Stats stats = new Stats();
		long end = System.nanoTime() + DURATION.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			int client = c;
			clients.add(pool.submit(() -> {
				Random random = new Random(client);
				int i = 0;
				while (System.nanoTime() < end) {
					int size = size(random);
					long seed = random.nextLong();
					String path = "/files/load/c" + client + "/f" + (i++ % 20);
					try {
						byte[] data = new byte[size];
						new Random(seed).nextBytes(data);
						String sha = sha(data);
						long t0 = System.nanoTime();
						HttpResponse<Void> put = http.send(HttpRequest.newBuilder(URI.create(base + path))
							.PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.discarding());
						stats.latencies.add((System.nanoTime() - t0) / 1_000_000);
						if (put.statusCode() != 201) {
							stats.failures.add("PUT " + path + " " + put.statusCode());
							continue;
						}
						stats.uploads.incrementAndGet();
						stats.bytes.addAndGet(size);
						long t1 = System.nanoTime();
						HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
								HttpResponse.BodyHandlers.ofByteArray());
						stats.latencies.add((System.nanoTime() - t1) / 1_000_000);
						if (get.statusCode() == 404) {
							stats.lost.incrementAndGet();
							continue;
						}
						stats.downloads.incrementAndGet();
						stats.bytes.addAndGet(get.body().length);
						if (!sha(get.body()).equals(sha)) {
							stats.mismatches.incrementAndGet();
						}
					}
					catch (Exception ex) {
						stats.failures.add(path + ": " + ex);
					}
				}
			}));
		}
		for (Future<?> client : clients) {
			client.get();
		}
		pool.shutdown();
		return stats;
	}

	private static int size(Random random) {
		int total = 0;
		for (int w : WEIGHTS) {
			total += w;
		}
		int pick = random.nextInt(total);
		for (int i = 0; i < SIZES.length; i++) {
			pick -= WEIGHTS[i];
			if (pick < 0) {
				return SIZES[i];
			}
		}
		return SIZES[0];
	}

	private static String sha(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	private static final class Stats {

		final AtomicLong uploads = new AtomicLong();

		final AtomicLong downloads = new AtomicLong();

		final AtomicLong bytes = new AtomicLong();

		final AtomicLong mismatches = new AtomicLong();

		final AtomicLong lost = new AtomicLong();

		final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		final List<String> failures = Collections.synchronizedList(new ArrayList<>());

		long percentile(double q) {
			List<Long> sorted = new ArrayList<>(this.latencies);
			Collections.sort(sorted);
			return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
		}

	}


}
