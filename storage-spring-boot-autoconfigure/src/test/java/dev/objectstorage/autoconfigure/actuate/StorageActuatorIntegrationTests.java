package dev.objectstorage.autoconfigure.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A running application with two storages (a working fs one and an s3 one pointing at a closed
 * port, with a secret key configured): the {@code storage} endpoint and health over HTTP show
 * exactly what was done, and never the secret.
 */
@SpringBootTest(classes = StorageActuatorIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "storage.instances.broken.type=s3", "storage.instances.broken.s3.bucket=b",
				"storage.instances.broken.s3.endpoint=http://127.0.0.1:9",
				"storage.instances.broken.s3.region=us-east-1",
				"storage.instances.broken.s3.access-key-id=AKIATESTTESTTEST",
				"storage.instances.broken.s3.secret-access-key=" + StorageActuatorIntegrationTests.SECRET,
				"storage.instances.broken.retry.enabled=false", "storage.instances.charted.type=memory",
				"storage.primary=default",
				"management.endpoints.web.exposure.include=storage,health,prometheus,env,configprops",
				"management.endpoint.health.show-details=always", "management.health.storage.timeout=5s",
				"server.address=127.0.0.1" })
@ExtendWith(OutputCaptureExtension.class)
class StorageActuatorIntegrationTests {

	static final String SECRET = "do-not-show-this-secret-4711";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static Path root;

	@LocalServerPort
	int port;

	@Autowired
	ObjectStorage storage;

	@Autowired
	@Qualifier("broken")
	ObjectStorage broken;

	@DynamicPropertySource
	static void storageRoot(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("actuator-it");
		registry.add("storage.type", () -> "fs");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void deleteRoot() throws Exception {
		FileSystemUtils.deleteRecursively(root);
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).responseTimeout(TIMEOUT).build();
	}

	@Test
	void historyShowsTheBytesOfEachSecond(@Autowired @Qualifier("charted") ObjectStorage charted) throws Exception {
		charted.write("big.bin", new byte[300_000]).block(TIMEOUT);
		charted.readAllBytes("big.bin").block(TIMEOUT);
		catchThrowableOfType(StorageException.class, () -> charted.stat("missing").block(TIMEOUT));
		long done = System.currentTimeMillis();
		// the second under way is shown once it has ended: ask until it is there (a second or so)
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			byte[] body = client().get().uri("/actuator/storage/charted/history").exchange()
				.expectStatus().isOk()
				.expectBody().returnResult().getResponseBodyContent();
			tools.jackson.databind.JsonNode history = new tools.jackson.databind.json.JsonMapper().readTree(body);
			tools.jackson.databind.JsonNode perSecond = history.get("perSecond");
			long start = perSecond.get("startEpochMillis").asLong();
			int seconds = perSecond.get("readBytesPerSecond").size();
			if (start + seconds * 1000L > done) {
				assertThat(history.get("name").asString()).isEqualTo("charted");
				assertThat(history.get("metricsEnabled").asBoolean()).isTrue();
				assertThat(perSecond.get("intervalSeconds").asInt()).isEqualTo(1);
				assertThat(java.time.Instant.parse(perSecond.get("start").asString()).toEpochMilli()).isEqualTo(start);
				assertThat(start % 1000).isZero();
				assertThat(sum(perSecond.get("writtenBytesPerSecond"))).isEqualTo(300_000);
				assertThat(sum(perSecond.get("readBytesPerSecond"))).isEqualTo(300_000);
				assertThat(sum(perSecond.get("operationsPerSecond"))).isEqualTo(3);
				assertThat(sum(perSecond.get("errorsPerSecond"))).isEqualTo(1);
				assertThat(perSecond.get("operationsPerSecond").size()).isEqualTo(seconds);
				assertThat(history.get("latency").get("intervalSeconds").asInt()).isEqualTo(10);
				break;
			}
			assertThat(System.nanoTime()).as("the history shows the second of the writes").isLessThan(deadline);
			Thread.sleep(100);
		}
		client().get().uri("/actuator/storage/charted/nothing").exchange().expectStatus().isNotFound();
		client().get().uri("/actuator/storage/no-such-storage/history").exchange().expectStatus().isNotFound();
	}

	private static long sum(tools.jackson.databind.JsonNode array) {
		long sum = 0;
		for (tools.jackson.databind.JsonNode n : array) {
			sum += n.asLong();
		}
		return sum;
	}

	@Test
	void endpointAndHealthShowWhatHappenedAndNoSecret(CapturedOutput output) {
		this.storage.write("a.bin", new byte[1000]).block(TIMEOUT);
		this.storage.write("b.bin", new byte[2345]).block(TIMEOUT);
		this.storage.write("dir/c.bin", new byte[7]).block(TIMEOUT);
		this.storage.readAllBytes("a.bin").block(TIMEOUT);
		this.storage.readAllBytes("b.bin").block(TIMEOUT);
		catchThrowableOfType(StorageException.class, () -> this.storage.stat("missing").block(TIMEOUT));
		this.storage.list("", dev.objectstorage.ListOptions.defaults().withRecursive(true)).collectList().block(TIMEOUT);

		String all = client().get().uri("/actuator/storage").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.storages.default.scheme").isEqualTo("fs")
			.jsonPath("$.storages.default.location").value((String location) -> assertThat(location).startsWith("file:"))
			.jsonPath("$.storages.default.capabilities.readWithRange").isEqualTo(true)
			.jsonPath("$.storages.default.capabilities.presignRead").isEqualTo(false)
			.jsonPath("$.storages.default.capabilities.presignWrite").isEqualTo(false)
			.jsonPath("$.storages.default.operations.write.count").isEqualTo(3)
			.jsonPath("$.storages.default.operations.write.successes").isEqualTo(3)
			.jsonPath("$.storages.default.operations.write.bytes").isEqualTo(3352)
			.jsonPath("$.storages.default.operations.read.count").isEqualTo(2)
			.jsonPath("$.storages.default.operations.read.bytes").isEqualTo(3345)
			.jsonPath("$.storages.default.operations.stat.errors.NOT_FOUND").isEqualTo(1)
			.jsonPath("$.storages.default.operations.list.count").isEqualTo(1)
			.jsonPath("$.storages.default.totals.bytesRead").isEqualTo(3345)
			.jsonPath("$.storages.default.totals.bytesWritten").isEqualTo(3352)
			.jsonPath("$.storages.default.operations.write.throughput.bytesPerSecondSinceStart")
			.value((Number n) -> assertThat(n.doubleValue()).isPositive())
			.jsonPath("$.storages.default.operations.read.throughput.bytesPerSecondLastMinute")
			.value((Number n) -> assertThat(n.doubleValue()).isPositive())
			.jsonPath("$.storages.default.operations.write.latency.p99Millis")
			.value((Number n) -> assertThat(n.doubleValue()).isPositive())
			.jsonPath("$.storages.broken.scheme").isEqualTo("s3")
			.returnResult().toString();
		assertThat(all).doesNotContain(SECRET);

		client().get().uri("/actuator/storage/default").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.name").isEqualTo("default")
			.jsonPath("$.operations.write.count").isEqualTo(3);
		client().get().uri("/actuator/storage/no-such-storage").exchange().expectStatus().isNotFound();

		String health = client().get().uri("/actuator/health").exchange()
			.expectStatus().isEqualTo(503)
			.expectBody()
			.jsonPath("$.components.storage.components.default.status").isEqualTo("UP")
			.jsonPath("$.components.storage.components.default.details.scheme").isEqualTo("fs")
			.jsonPath("$.components.storage.components.broken.status").isEqualTo("DOWN")
			.jsonPath("$.components.storage.components.broken.details.error")
			.value((String kind) -> assertThat(kind).isIn("UNEXPECTED", "TIMEOUT"))
			.returnResult().toString();
		assertThat(health).doesNotContain(SECRET);

		String prometheus = client().get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(prometheus)
			.containsPattern("storage_operations_seconds_count\\{[^}]*operation=\"write\",outcome=\"success\",storage=\"default\"[^}]*} 3")
			.containsPattern("storage_bytes_total\\{[^}]*direction=\"write\"[^}]*storage=\"default\"[^}]*} 3352")
			.doesNotContain(SECRET);

		for (String uri : new String[] { "/actuator/env", "/actuator/configprops" }) {
			String body = client().get().uri(uri).exchange().expectBody(String.class).returnResult().getResponseBody();
			assertThat(body).as(uri).doesNotContain(SECRET);
		}
		assertThat(output).doesNotContain(SECRET);
	}

	@Test
	void theBrokenStorageFailsWithATemporaryError() {
		StorageException ex = catchThrowableOfType(StorageException.class, () -> this.broken.stat("x").block(TIMEOUT));
		assertThat(ex.isTemporary()).isTrue();
		assertThat(ex.storageName()).isEqualTo("broken");
		assertThat(ex.getMessage()).doesNotContain(SECRET);
	}

	@SpringBootApplication
	static class TestApplication {

	}

}
