package dev.objectstorage.sample;

import java.io.InputStream;
import java.io.OutputStream;
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
		properties = { "sample.header-timeout=3s", "sample.max-connections=200" })
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
			// the timeout is 3 s; 30 s is a bound for a busy machine, not a measure of speed
			assertThat(closedByServer(silent, Duration.ofSeconds(30))).as("silent connection closed").isTrue();
			assertThat(closedByServer(slow, Duration.ofSeconds(30))).as("slowloris connection closed").isTrue();
		}
	}

	/**
	 * A request read while the previous response was still being written (here: pipelined) is in
	 * progress, not owed: its slow upload outlives the header timeout several times and succeeds.
	 */
	@Test
	void aPipelinedRequestIsNotTimedAsIfItsHeadersWereStillOwed() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /files HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
					+ "PUT /files/pipelined.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: 12\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			trickle(out, 12);
			String answers = readUntil(socket, "\"path\":\"pipelined.bin\"");
			assertThat(answers).startsWith("HTTP/1.1 200").contains("HTTP/1.1 201");
		}
		assertThat(Files.readAllBytes(root.resolve("pipelined.bin"))).hasSize(12);
	}

	/**
	 * Two pipelined requests, the first answered later (a listing, off the event loop) than the second
	 * (a 404, answered at once), then a third request on the same connection: it must be read and
	 * answered. Reactor Netty up to 1.3.7 stopped reading such a connection (reactor/reactor-netty#4361:
	 * the read was not re-armed when its queue of pipelined requests drained), so the third request
	 * sat unread until the header timeout closed the connection: the "connection reset" that failed
	 * sample tests now and then.
	 */
	@Test
	void aConnectionKeepsReadingAfterPipelinedRequests() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
			for (int round = 0; round < 20; round++) {
				out.write(("GET /files HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
						+ "GET /no-such-page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(readResponse(in)).as("round %d, listing", round).startsWith("HTTP/1.1 200");
				assertThat(readResponse(in)).as("round %d, unknown page", round).startsWith("HTTP/1.1 404");
				out.write("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(readResponse(in)).as("round %d, the request after them", round).startsWith("HTTP/1.1 200");
			}
		}
	}

	/** Reads one response (headers, and a body framed by Content-Length or chunked); its head. */
	private static String readResponse(InputStream in) throws Exception {
		String head = readLine(in, new StringBuilder());
		if (head.isEmpty()) {
			throw new AssertionError("connection closed by the server");
		}
		long length = 0;
		boolean chunked = false;
		for (String line = readLine(in, new StringBuilder()); !line.isEmpty(); line = readLine(in, new StringBuilder())) {
			String lower = line.toLowerCase(java.util.Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(line.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
		}
		if (!chunked) {
			in.readNBytes((int) length);
			return head;
		}
		for (long size = Long.parseLong(readLine(in, new StringBuilder()).trim(), 16); size > 0;
				size = Long.parseLong(readLine(in, new StringBuilder()).trim(), 16)) {
			in.readNBytes((int) size);
			readLine(in, new StringBuilder());
		}
		readLine(in, new StringBuilder()); // the empty line after the last chunk
		return head;
	}

	/** A line without its CRLF; empty at the end of the stream. */
	private static String readLine(InputStream in, StringBuilder line) throws Exception {
		for (int b = in.read(); b >= 0; b = in.read()) {
			if (b == '\n') {
				return line.toString().stripTrailing();
			}
			line.append((char) b);
		}
		return line.toString();
	}

	/** 100 Continue answers a request's headers; it does not end the request (the upload goes on). */
	@Test
	void anUploadAfter100ContinueIsNotTimedAsIfItsHeadersWereStillOwed() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("PUT /files/continued.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
					+ "Expect: 100-continue\r\nContent-Length: 12\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(readUntil(socket, "\r\n\r\n")).startsWith("HTTP/1.1 100");
			trickle(out, 12);
			assertThat(readUntil(socket, "\"path\":\"continued.bin\"")).startsWith("HTTP/1.1 201");
		}
		assertThat(Files.readAllBytes(root.resolve("continued.bin"))).hasSize(12);
	}

	/**
	 * Sends {@code n} bytes, one every 500 ms: 6 s for 12 bytes, twice the 3 s header timeout
	 * (a lower bound on the upload's duration, whatever the machine's speed).
	 */
	private static void trickle(OutputStream out, int n) throws Exception {
		for (int i = 0; i < n; i++) {
			Thread.sleep(500);
			out.write('x');
			out.flush();
		}
	}

	/** Reads until {@code marker} was seen (30 s bound for a busy machine); what was read so far. */
	private static String readUntil(Socket socket, String marker) throws Exception {
		socket.setSoTimeout(30_000);
		InputStream in = socket.getInputStream();
		StringBuilder text = new StringBuilder();
		while (!text.toString().contains(marker)) {
			int b = in.read();
			if (b < 0) {
				throw new AssertionError("connection closed by the server after: " + text);
			}
			text.append((char) b);
		}
		return text.toString();
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
