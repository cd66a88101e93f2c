package dev.objectstorage.sample;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections cannot be hoarded: one that sends no headers, or sends them too slowly, is closed
 * after the header timeout, and past the connection limit the oldest idle connection makes room,
 * so a real request is served while others hold connections open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.header-timeout=1s", "sample.max-connections=200" })
class ConnectionLimitsTests {

	private static Path root;

	@LocalServerPort
	int port;

	@Autowired
	ConnectionLimits limits;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-connections");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	/** Whether the server closed the connection (EOF) within the wait. */
	private static boolean closedByServer(Socket socket, Duration wait) throws Exception {
		socket.setSoTimeout((int) wait.toMillis());
		InputStream in = socket.getInputStream();
		try {
			return in.read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (java.net.SocketException ex) {
			return true; // reset
		}
	}

	@Test
	void silentAndSlowClientsAreClosedAfterTheHeaderTimeout() throws Exception {
		try (Socket silent = new Socket("127.0.0.1", this.port); Socket slow = new Socket("127.0.0.1", this.port)) {
			slow.getOutputStream().write("GET /files HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
			slow.getOutputStream().flush();
			// the timeout is 1 s; 30 s is a bound for a busy machine, not a measure of speed
			assertThat(closedByServer(silent, Duration.ofSeconds(30))).as("silent connection closed").isTrue();
			assertThat(closedByServer(slow, Duration.ofSeconds(30))).as("slowloris connection closed").isTrue();
		}
	}

	@Test
	void aRealRequestIsServedWhileIdleConnectionsFillTheLimit() throws Exception {
		List<Socket> idle = new ArrayList<>();
		try {
			for (int i = 0; i < 400; i++) { // twice the limit
				idle.add(new Socket("127.0.0.1", this.port));
			}
			String answer = WebClient.create("http://127.0.0.1:" + this.port).get().uri("/files").retrieve()
				.bodyToMono(String.class).block(Duration.ofSeconds(30));
			assertThat(answer).contains("entries");
			assertThat(this.limits.openConnections()).isLessThanOrEqualTo(201);
		}
		finally {
			for (Socket socket : idle) {
				socket.close();
			}
		}
	}

}
