package dev.objectstorage.webdav;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a server's {@code PUT} is atomic, which {@link WebDavSettings#atomicPut()} relies on: a
 * {@code PUT} cut mid-body (the client closes the connection after half the bytes it announced, with
 * a {@code Content-Length} and with chunked encoding) must leave an existing object as it was and no
 * object at a new path, and a reader must not see the half-written body while it arrives. The
 * result per server is what docs/guide.md states: the test fails when a server's behaviour changes.
 */
class WebDavAtomicPutTests {

	private static final int SIZE = 1 << 20;

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	static Stream<Arguments> servers() {
		return Stream.of(Arguments.of("httpd", (Supplier<WebDavSettings>) () -> HttpdServer.get().securedSettings(root()),
				true),
				Arguments.of("lighttpd", (Supplier<WebDavSettings>) () -> LighttpdServer.get().settings(root()), true),
				Arguments.of("nginx", (Supplier<WebDavSettings>) () -> NginxServer.get().settings(root()), true),
				Arguments.of("rclone", (Supplier<WebDavSettings>) () -> RcloneWebDavServer.get().settings(root()), false),
				Arguments.of("webdav-server", (Supplier<WebDavSettings>) () -> NodeWebDavServer.get().settings(root()),
						false));
	}

	private static String root() {
		return "atomic-put-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void aPutCutMidBodyLeavesTheOldObjectAndNoNewOne(String name, Supplier<WebDavSettings> server, boolean atomic)
			throws Exception {
		if (name.equals("httpd")) {
			HttpdServer.checkInstalled();
		}
		WebDavSettings settings = server.get();
		String collection = settings.baseUrl() + settings.root() + "/";
		assertThat(send(settings, "MKCOL", collection, null).statusCode()).isEqualTo(201);
		byte[] old = "the old version".getBytes(StandardCharsets.UTF_8);
		String existing = collection + "existing.bin";
		assertThat(send(settings, "PUT", existing, old).statusCode()).isIn(200, 201, 204);
		boolean intact = true;
		for (boolean chunked : new boolean[] { false, true }) {
			String fresh = collection + "new-" + chunked + ".bin";
			for (String target : new String[] { existing, fresh }) {
				byte[] expected = target.equals(existing) ? old : null;
				try (Socket socket = new Socket(settings.baseUrl().getHost(), settings.baseUrl().getPort())) {
					sendHalf(socket.getOutputStream(), settings, URI.create(target), chunked);
					// a reader while half the body has arrived
					intact &= seen(settings, target, expected);
				}
				// after the connection was closed; asked a few times, as the server notices the end of the
				// connection on its own time (a server that publishes the short body shows it eventually)
				for (int i = 0; i < 10; i++) {
					Thread.sleep(100);
					intact &= seen(settings, target, expected);
				}
			}
		}
		assertThat(intact).as("whether %s's PUT is atomic", name).isEqualTo(atomic);
	}

	private static boolean seen(WebDavSettings settings, String url, byte[] expected) throws Exception {
		HttpResponse<byte[]> response;
		try {
			response = send(settings, "GET", url, null);
		}
		catch (IOException ex) {
			// rclone announces the size the file has on disk, then sends fewer bytes: not the old version
			return false;
		}
		if (expected == null) {
			return response.statusCode() == 404;
		}
		return response.statusCode() == 200 && Arrays.equals(response.body(), expected);
	}

	/** Sends the head of a PUT of {@value #SIZE} bytes and half of them, without the rest. */
	private static void sendHalf(OutputStream out, WebDavSettings settings, URI target, boolean chunked)
			throws IOException {
		StringBuilder head = new StringBuilder();
		head.append("PUT ").append(target.getRawPath()).append(" HTTP/1.1\r\n");
		head.append("Host: ").append(target.getHost()).append(':').append(target.getPort()).append("\r\n");
		if (settings.username() != null) {
			head.append("Authorization: ").append(basic(settings)).append("\r\n");
		}
		head.append("Content-Type: application/octet-stream\r\n");
		head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + SIZE + "\r\n").append("\r\n");
		out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
		byte[] half = new byte[SIZE / 2];
		Arrays.fill(half, (byte) 'x');
		if (chunked) {
			out.write((Integer.toHexString(half.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(half);
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		else {
			out.write(half);
		}
		out.flush();
	}

	private static String basic(WebDavSettings settings) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
	}

	private static HttpResponse<byte[]> send(WebDavSettings settings, String method, String url, byte[] body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		if (settings.username() != null) {
			request.header("Authorization", basic(settings));
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

}
