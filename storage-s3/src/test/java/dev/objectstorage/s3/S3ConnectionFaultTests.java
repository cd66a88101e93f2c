package dev.objectstorage.s3;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.layer.TimeoutLayer;
import dev.objectstorage.tck.LeakTrackingBufferFactory;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Faults on the connection between client and a real S3 server: WireMock proxies to S3Proxy and
 * resets the connection before the response, or stalls before the headers, for chosen requests.
 */
class S3ConnectionFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/**
	 * The timeout of the storage that meets a stalled response: far shorter than the stall, far
	 * longer than a request to the local server takes on a busy machine (the retry must fit in it).
	 */
	private static final Duration STALL_TIMEOUT = Duration.ofSeconds(3);

	/** How long the proxy stalls: far longer than {@link #STALL_TIMEOUT}. */
	private static final int STALL_MILLIS = 30_000;

	private WireMockServer proxy;

	private LeakTrackingBufferFactory buffers;

	private String prefix;

	@BeforeEach
	void startProxy() {
		this.proxy = new WireMockServer(WireMockConfiguration.options()
			.bindAddress("127.0.0.1")
			.dynamicPort()
			.preserveHostHeader(true)); // S3Proxy checks the signature, which covers the Host header
		this.proxy.start();
		this.proxy.stubFor(any(anyUrl()).atPriority(10)
			.willReturn(aResponse().proxiedFrom(S3ProxyServer.get().endpoint().toString())));
		this.buffers = new LeakTrackingBufferFactory();
		this.prefix = "conn-" + System.nanoTime();
	}

	@AfterEach
	void stopProxy() {
		this.proxy.stop();
		this.buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	/**
	 * A storage behind the faulty proxy, with the given retry attempts and a timeout that no request
	 * reaches (a new client's first request, the SDK's own retries of a reset and their back-off
	 * included), even on a slow machine: only the stall test shortens it.
	 */
	private ObjectStorage storage(int attempts) {
		return storage(attempts, TIMEOUT);
	}

	/** A storage behind the faulty proxy, with the given retry attempts and timeout. */
	private ObjectStorage storage(int attempts, Duration timeout) {
		S3Settings settings = S3ProxyServer.get().settings(this.prefix)
			.toBuilder()
			.endpoint(java.net.URI.create("http://127.0.0.1:" + this.proxy.port()))
			.build();
		return ObjectStorage.builder()
			.backend(new S3Backend(settings, null, this.buffers))
			.layer(new RetryLayer(new RetryLayer.RetrySettings(attempts, Duration.ofMillis(10), Duration.ofMillis(50), 0)))
			.layer(new TimeoutLayer(new TimeoutLayer.TimeoutSettings(timeout, timeout)))
			.build();
	}

	/** Writes straight to the server, not through the proxy. */
	private void put(String path, byte[] data) {
		try (ObjectStorage direct = ObjectStorage.builder()
			.backend(new S3Backend(S3ProxyServer.get().settings(this.prefix)))
			.build()) {
			direct.write(path, data).block(TIMEOUT);
		}
	}

	@Test
	void aConnectionResetBeforeTheResponseIsRetried() {
		byte[] data = StorageTck.randomBytes(200_000, 1);
		put("reset.bin", data);
		this.proxy.stubFor(get(urlPathMatching(".*/reset\\.bin")).atPriority(1)
			.inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
			.willSetStateTo("recovered"));
		try (ObjectStorage storage = storage(3)) {
			assertThat(StorageTck.collect(storage.read("reset.bin"))).isEqualTo(data);
		}
	}

	@Test
	void aConnectionResetWithoutRetriesIsATemporaryError() {
		put("reset2.bin", "x".getBytes());
		this.proxy.stubFor(get(urlPathMatching(".*/reset2\\.bin")).atPriority(1)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		try (ObjectStorage storage = storage(1)) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> StorageTck.collect(storage.read("reset2.bin")));
			assertThat(ex.kind()).isEqualTo(ErrorKind.UNEXPECTED);
			assertThat(ex.isTemporary()).isTrue();
		}
	}

	@Test
	void aStalledResponseTimesOutWithTimeoutAndARetrySucceeds() {
		byte[] data = StorageTck.randomBytes(50_000, 2);
		put("stall.bin", data);
		this.proxy.stubFor(get(urlPathMatching(".*/stall\\.bin")).atPriority(1)
			.inScenario("stall").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().proxiedFrom(S3ProxyServer.get().endpoint().toString()).withFixedDelay(STALL_MILLIS))
			.willSetStateTo("fast"));
		try (ObjectStorage storage = storage(1, STALL_TIMEOUT)) {
			StorageException ex = catchThrowableOfType(StorageException.class,
					() -> StorageTck.collect(storage.read("stall.bin")));
			assertThat(ex.kind()).isEqualTo(ErrorKind.TIMEOUT);
			assertThat(ex.isTemporary()).isTrue(); // the stall (30 s) outlasts the timeout (3 s): no answer was awaited
		}
		this.proxy.resetScenarios();
		// the first attempt stalls again and times out; the retry gets the answer within the timeout
		try (ObjectStorage storage = storage(3, STALL_TIMEOUT)) {
			assertThat(StorageTck.collect(storage.read("stall.bin"))).isEqualTo(data);
		}
	}

}
