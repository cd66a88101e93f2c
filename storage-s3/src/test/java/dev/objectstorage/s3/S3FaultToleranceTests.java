package dev.objectstorage.s3;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import java.util.concurrent.atomic.AtomicReference;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import dev.objectstorage.layer.MetricsLayer;
import dev.objectstorage.layer.OperationMetrics;
import dev.objectstorage.layer.RetryLayer;
import dev.objectstorage.layer.TimeoutLayer;
import dev.objectstorage.tck.LeakTrackingBufferFactory;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Faults injected into a real S3 server (S3Proxy's store): throttling and server errors on the
 * first try, bodies cut off midway, permanent refusals. Each operation either succeeds with exactly
 * the right bytes or fails with the right kind, in bounded time, without leaking buffers.
 */
class S3FaultToleranceTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final AtomicReference<FaultyBlobStore> faults = new AtomicReference<>();

	private static S3ProxyServer server;

	private LeakTrackingBufferFactory buffers;

	private MetricsLayer metrics;

	private ObjectStorage storage;

	private String prefix;

	@BeforeAll
	static void startServer() {
		server = S3ProxyServer.dedicated((store) -> {
			faults.set(new FaultyBlobStore(store));
			return faults.get();
		});
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.stop();
	}

	@BeforeEach
	void createStorage() {
		faults.get().reset();
		this.buffers = new LeakTrackingBufferFactory();
		this.metrics = new MetricsLayer();
		this.prefix = "faults-" + System.nanoTime();
		this.storage = ObjectStorage.builder()
			// SDK retries off: these tests are about the retry layer (one test below turns them back on)
			.backend(new S3Backend(server.settings(this.prefix).toBuilder().sdkMaxAttempts(1).build(), null, this.buffers))
			.layer(this.metrics)
			.layer(new RetryLayer(new RetryLayer.RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(50), 0.5),
					this.metrics.retryListener()))
			.layer(new TimeoutLayer(new TimeoutLayer.TimeoutSettings(Duration.ofSeconds(10), Duration.ofSeconds(2))))
			.build();
	}

	@AfterEach
	void checkLeaks() {
		this.storage.close();
		this.buffers.assertAllReleased(StorageTck.RELEASE_WAIT);
	}

	private byte[] read(String path) {
		return StorageTck.collect(this.storage.read(path));
	}

	private ObjectMetadata write(String path, byte[] data) {
		return this.storage.write(path, Flux.defer(() -> {
			DataBuffer buffer = this.buffers.allocateBuffer(data.length);
			buffer.write(data);
			return Flux.just(buffer);
		})).block(TIMEOUT);
	}

	@Test
	void throttledReadIsRetriedAndSucceeds() {
		byte[] data = StorageTck.randomBytes(100_000, 1);
		write("slow.bin", data);
		faults.get().failing(503, "SlowDown").failingGets.set(1);
		assertThat(read("slow.bin")).isEqualTo(data);
		assertThat(faults.get().gets.get()).isEqualTo(2);
		OperationMetrics.Snapshot reads = this.metrics.metrics(Operation.READ).snapshot();
		assertThat(reads.successes()).isEqualTo(1);
		assertThat(reads.retries()).containsEntry(ErrorKind.RATE_LIMITED, 1L);
	}

	@Test
	void serverErrorOnStatIsRetriedAndSucceeds() {
		write("flaky", "x".getBytes());
		faults.get().failing(500, "InternalError").failingHeads.set(2);
		assertThat(this.storage.stat("flaky").block(TIMEOUT).size()).isEqualTo(1);
		assertThat(faults.get().heads.get()).isEqualTo(3);
		assertThat(this.metrics.metrics(Operation.STAT).snapshot().retries()).containsEntry(ErrorKind.UNEXPECTED, 2L);
	}

	@Test
	void persistentServerErrorsFailAsTemporaryAfterTheLastAttempt() {
		write("down", "x".getBytes());
		faults.get().failing(500, "InternalError").failingHeads.set(100);
		StorageException ex = catchThrowableOfType(StorageException.class, () -> this.storage.stat("down").block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.UNEXPECTED);
		assertThat(ex.isTemporary()).isTrue();
		assertThat(faults.get().heads.get()).isEqualTo(3);
	}

	@Test
	void permanentRefusalIsNotRetried() {
		write("denied", "x".getBytes());
		faults.get().failing(403, "AccessDenied").failingGets.set(100);
		StorageException ex = catchThrowableOfType(StorageException.class, () -> read("denied"));
		assertThat(ex.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(ex.isTemporary()).isFalse();
		assertThat(faults.get().gets.get()).isEqualTo(1);
	}

	@Test
	void aBodyCutMidwayResumesFromTheNextByteOfTheSameVersion() {
		byte[] data = StorageTck.randomBytes(3 * 1024 * 1024, 2);
		write("resumable.bin", data);
		faults.get().cutAfterBytes = 1024 * 1024;
		faults.get().cutGets.set(2);
		assertThat(StorageTck.sha256(read("resumable.bin"))).isEqualTo(StorageTck.sha256(data));
		assertThat(faults.get().gets.get()).isEqualTo(3);
		assertThat(this.metrics.metrics(Operation.READ).snapshot().bytes()).isEqualTo(data.length);
	}

	@Test
	void aBodyCutMidwayFailsRatherThanSpliceWhenTheObjectChanged() {
		byte[] v1 = StorageTck.randomBytes(2 * 1024 * 1024, 3);
		byte[] v2 = StorageTck.randomBytes(2 * 1024 * 1024, 4);
		write("changing.bin", v1);
		faults.get().cutAfterBytes = 512 * 1024;
		faults.get().cutGets.set(1);
		// another writer replaces the object just as the connection of the first read drops
		faults.get().onCut = () -> faults.get().delegate().putBlob(PutObjectRequest.builder()
			.bucket(S3ProxyServer.BUCKET)
			.key(this.prefix + "/changing.bin")
			.contentLength((long) v2.length)
			.build(), new ByteArrayInputStream(v2));
		long[] seen = new long[1];
		StorageException ex = catchThrowableOfType(StorageException.class, () -> this.storage.read("changing.bin")
			.doOnNext((buffer) -> {
				seen[0] += buffer.readableByteCount();
				DataBufferUtils.release(buffer);
			})
			.blockLast(TIMEOUT));
		assertThat(ex).as("the read must fail rather than splice two versions").isNotNull();
		assertThat(ex.kind()).isEqualTo(ErrorKind.CONDITION_NOT_MATCH);
		assertThat(seen[0]).isLessThan(v1.length);
		assertThat(read("changing.bin")).isEqualTo(v2);
	}

	@Test
	void aFailedPutIsRetriedByTheSdkAndStoresTheObjectOnce() {
		faults.get().failing(500, "InternalError").failingPuts.set(1);
		byte[] data = StorageTck.randomBytes(10_000, 5);
		try (ObjectStorage withSdkRetries = ObjectStorage.builder()
			.backend(new S3Backend(server.settings(this.prefix), null, this.buffers))
			.build()) {
			withSdkRetries.write("put.bin", data).block(TIMEOUT);
		}
		assertThat(read("put.bin")).isEqualTo(data);
		assertThat(faults.get().puts.get()).isEqualTo(2);
		assertThat(this.storage.list("").collectList().block(TIMEOUT)).hasSize(1);
	}

	@Test
	void writesThatKeepFailingReportTheKindAndStoreNothing() {
		faults.get().failing(503, "SlowDown").failingPuts.set(100);
		StorageException ex = catchThrowableOfType(StorageException.class,
				() -> write("never.bin", "x".getBytes()));
		assertThat(ex.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
		assertThat(ex.isTemporary()).isTrue();
		faults.get().failingPuts.set(0);
		assertThat(this.storage.exists("never.bin").block(TIMEOUT)).isFalse();
	}


	@Test
	void aFailedPartIsRetriedAloneAndTheUploadCompletes() {
		faults.get().failing(500, "InternalError").failingParts.set(1);
		byte[] data = StorageTck.randomBytes(12 * 1024 * 1024, 6);
		try (ObjectStorage withSdkRetries = ObjectStorage.builder()
			// three parts of 5 MiB, more than one PutObject carries with 2 parts in flight: a multipart upload
			.backend(new S3Backend(server.settings(this.prefix).toBuilder().partSize(5 * 1024 * 1024).partsInFlight(2)
				.build(), null, this.buffers))
			.build()) {
			withSdkRetries.write("parts.bin", Flux.fromIterable(java.util.List.of(data))
				.map((bytes) -> this.buffers.wrap(bytes))).block(TIMEOUT);
		}
		// three parts, one of them sent twice; nothing else is sent again
		assertThat(faults.get().parts.get()).isEqualTo(4);
		assertThat(StorageTck.sha256(read("parts.bin"))).isEqualTo(StorageTck.sha256(data));
	}

}
