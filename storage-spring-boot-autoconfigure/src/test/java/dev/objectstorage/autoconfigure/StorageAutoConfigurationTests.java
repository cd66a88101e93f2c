package dev.objectstorage.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.autoconfigure.s3.S3ClientCustomizer;
import dev.objectstorage.layer.ForwardingBackend;
import dev.objectstorage.layer.Layer;
import dev.objectstorage.layer.OperationMetrics;
import dev.objectstorage.s3.S3Backend;
import dev.objectstorage.s3.S3ProxyServer;
import dev.objectstorage.spi.StorageBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class StorageAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@TempDir
	Path temp;

	private static String text(ObjectStorage storage, String path) {
		return new String(storage.readAllBytes(path).block(TIMEOUT), StandardCharsets.UTF_8);
	}

	private static FailureAnalysis analysis(Throwable failure) {
		FailureAnalysis analysis = new StorageConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Test
	void withoutConfigurationAnInMemoryStorageIsCreatedWithAWarning(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ObjectStorage.class);
			ObjectStorage storage = context.getBean(ObjectStorage.class);
			assertThat(storage.name()).isEqualTo("default");
			assertThat(storage.scheme()).isEqualTo("memory");
			assertThat(output).contains("No object storage is configured").contains("lost when the application stops");
		});
	}

	@Test
	void fsStorageFromProperties() {
		this.contextRunner.withPropertyValues("storage.type=fs", "storage.fs.root=" + this.temp.resolve("data"))
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				assertThat(storage.scheme()).isEqualTo("fs");
				assertThat(storage.name()).isEqualTo("default");
				storage.write("a.txt", "hello".getBytes()).block(TIMEOUT);
				assertThat(this.temp.resolve("data/a.txt")).hasContent("hello");
				assertThat(context.getBean("defaultObjectStorage")).isSameAs(storage);
			});
	}

	@Test
	void memoryStorageFromProperties() {
		this.contextRunner.withPropertyValues("storage.type=memory").run((context) -> {
			ObjectStorage storage = context.getBean(ObjectStorage.class);
			assertThat(storage.scheme()).isEqualTo("memory");
		});
	}

	@Test
	void s3StorageFromPropertiesTalksToTheServer() {
		S3ProxyServer server = S3ProxyServer.get();
		this.contextRunner
			.withPropertyValues("storage.type=s3", "storage.s3.bucket=" + S3ProxyServer.BUCKET,
					"storage.s3.prefix=autoconfig-" + System.nanoTime(), "storage.s3.endpoint=" + server.endpoint(),
					"storage.s3.region=us-east-1", "storage.s3.path-style-access=true",
					"storage.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"storage.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY, "storage.s3.part-size=5MB")
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				assertThat(storage.scheme()).isEqualTo("s3");
				assertThat(storage.location()).contains(S3ProxyServer.BUCKET).doesNotContain(S3ProxyServer.SECRET_KEY);
				storage.write("x.txt", "via spring".getBytes()).block(TIMEOUT);
				assertThat(text(storage, "x.txt")).isEqualTo("via spring");
				storage.delete("x.txt").block(TIMEOUT);
			});
	}

	@Test
	void s3ClientCustomizersAreApplied() {
		AtomicInteger customized = new AtomicInteger();
		this.contextRunner
			.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.region=us-east-1",
					"storage.s3.endpoint=http://127.0.0.1:9", "storage.s3.access-key-id=a",
					"storage.s3.secret-access-key=s")
			.withBean(S3ClientCustomizer.class, () -> (name, builder) -> {
				assertThat(name).isEqualTo("default");
				customized.incrementAndGet();
			})
			.run((context) -> {
				assertThat(context).hasSingleBean(ObjectStorage.class);
				assertThat(customized.get()).isEqualTo(1);
			});
	}

	@Test
	void severalNamedStoragesAreInjectableByQualifierAndThePrimaryWithout() {
		this.contextRunner
			.withPropertyValues("storage.instances.photos.type=fs",
					"storage.instances.photos.fs.root=" + this.temp.resolve("photos"),
					"storage.instances.cache.type=memory", "storage.primary=photos")
			.withUserConfiguration(Consumers.class)
			.run((context) -> {
				assertThat(context.getBeansOfType(ObjectStorage.class)).hasSize(2);
				Consumers consumers = context.getBean(Consumers.class);
				assertThat(consumers.photos.name()).isEqualTo("photos");
				assertThat(consumers.cache.name()).isEqualTo("cache");
				assertThat(consumers.primary).isSameAs(consumers.photos);
			});
	}

	@Test
	void theOnlyNamedStorageIsPrimary() {
		this.contextRunner.withPropertyValues("storage.instances.only.type=memory").run((context) -> {
			assertThat(context.getBean(ObjectStorage.class).name()).isEqualTo("only");
		});
	}

	@Test
	void singleAndNamedStoragesLiveTogetherWithDefaultAsPrimary() {
		this.contextRunner.withPropertyValues("storage.type=memory", "storage.instances.other.type=memory")
			.run((context) -> {
				assertThat(context.getBeansOfType(ObjectStorage.class)).hasSize(2);
				assertThat(context.getBean(ObjectStorage.class).name()).isEqualTo("default");
			});
	}

	@Test
	void aUserDefinedStorageAddsToTheConfiguredOnes() {
		ObjectStorage mine = ObjectStorage.builder().name("mine").backend(new dev.objectstorage.memory.MemoryBackend()).build();
		this.contextRunner.withPropertyValues("storage.type=memory")
			.withBean("mine", ObjectStorage.class, () -> mine)
			.run((context) -> {
				assertThat(context.getBeansOfType(ObjectStorage.class)).containsOnlyKeys("mine", "defaultObjectStorage");
				assertThat(context.getBean(ObjectStorage.class).name()).isEqualTo("default");
				assertThat(context.getBean("mine")).isSameAs(mine);
			});
	}

	@Test
	void aUserDefinedStorageNamedLikeAConfiguredOneReplacesIt() {
		ObjectStorage mine = ObjectStorage.builder().name("photos").backend(new dev.objectstorage.memory.MemoryBackend()).build();
		this.contextRunner
			.withPropertyValues("storage.instances.photos.type=fs",
					"storage.instances.photos.fs.root=" + this.temp.resolve("photos"), "storage.instances.cache.type=memory",
					"storage.primary=cache")
			.withBean("photos", ObjectStorage.class, () -> mine)
			.run((context) -> {
				assertThat(context.getBeansOfType(ObjectStorage.class)).containsOnlyKeys("photos", "cacheObjectStorage");
				assertThat(context.getBean("photos")).isSameAs(mine);
				assertThat(context.getBean(ObjectStorage.class).name()).isEqualTo("cache");
			});
		this.contextRunner.withPropertyValues("storage.type=memory")
			.withBean("defaultObjectStorage", ObjectStorage.class, () -> mine)
			.run((context) -> {
				assertThat(context).hasSingleBean(ObjectStorage.class);
				assertThat(context.getBean(ObjectStorage.class)).isSameAs(mine);
			});
	}

	@Test
	void storagesFromTheApplicationsBeanMethodsFollowTheSameRule() {
		this.contextRunner
			.withPropertyValues("storage.instances.photos.type=memory", "storage.instances.cache.type=memory",
					"storage.primary=cache")
			.withUserConfiguration(OwnStorages.class)
			.run((context) -> {
				assertThat(context.getBeansOfType(ObjectStorage.class)).containsOnlyKeys("photos", "archive",
						"cacheObjectStorage");
				assertThat(context.getBean("photos")).isSameAs(context.getBean(OwnStorages.class).photos);
				assertThat(context.getBean(ObjectStorage.class).name()).isEqualTo("cache");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStorages {

		final ObjectStorage photos = ObjectStorage.builder().name("photos")
			.backend(new dev.objectstorage.memory.MemoryBackend()).build();

		@Bean
		ObjectStorage photos() {
			return this.photos;
		}

		@Bean
		ObjectStorage archive() {
			return ObjectStorage.builder().name("archive").backend(new dev.objectstorage.memory.MemoryBackend()).build();
		}

	}

	@Test
	void aUserDefinedStorageStandsInForTheInMemoryFallback(CapturedOutput output) {
		ObjectStorage mine = ObjectStorage.builder().name("mine").backend(new dev.objectstorage.memory.MemoryBackend()).build();
		this.contextRunner.withBean("mine", ObjectStorage.class, () -> mine).run((context) -> {
			assertThat(context).hasSingleBean(ObjectStorage.class);
			assertThat(context.getBean(ObjectStorage.class)).isSameAs(mine);
			assertThat(output).doesNotContain("No object storage is configured");
		});
	}

	@Test
	void contentTypesAreGuessedUnlessSwitchedOff() {
		this.contextRunner.withPropertyValues("storage.type=memory").run((context) -> {
			ObjectStorage storage = context.getBean(ObjectStorage.class);
			storage.write("a.png", new byte[] { 1 }).block(TIMEOUT);
			assertThat(storage.stat("a.png").block(TIMEOUT).contentType()).isEqualTo("image/png");
		});
		this.contextRunner.withPropertyValues("storage.type=memory", "storage.guess-content-type=false")
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				storage.write("a.png", new byte[] { 1 }).block(TIMEOUT);
				assertThat(storage.stat("a.png").block(TIMEOUT).contentType()).isNull();
			});
	}

	@Test
	void applicationLayersAreApplied() {
		AtomicInteger stats = new AtomicInteger();
		Layer counting = (backend) -> new ForwardingBackend(backend) {
			@Override
			public reactor.core.publisher.Mono<ObjectMetadata> stat(String path) {
				stats.incrementAndGet();
				return super.stat(path);
			}
		};
		this.contextRunner.withPropertyValues("storage.type=memory")
			.withBean(Layer.class, () -> counting)
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				storage.write("a", "x".getBytes()).block(TIMEOUT);
				storage.stat("a").block(TIMEOUT);
				assertThat(stats.get()).isEqualTo(1);
			});
	}

	@Test
	void metricsAreRecordedPerStorageAndPublishedToMicrometer() {
		this.contextRunner.withPropertyValues("storage.type=memory")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				storage.write("a", new byte[100]).block(TIMEOUT);
				storage.readAllBytes("a").block(TIMEOUT);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("storage.operations").tags("storage", "default", "operation", "write",
						"outcome", "success").timer().count()).isEqualTo(1);
				assertThat(registry.get("storage.bytes").tags("storage", "default", "direction", "read").counter()
					.count()).isEqualTo(100);
				assertThat(context.getBean(StorageMetricsRegistry.class).operations("default")).isNotNull();
			});
	}

	@Test
	void retriesAreCountedByTheStoragesMetricsAndPublishedToMicrometer() {
		AtomicInteger stats = new AtomicInteger();
		StorageBackendFactory flaky = new StorageBackendFactory() {

			@Override
			public String type() {
				return "flaky";
			}

			@Override
			public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
				return new ForwardingBackend(new dev.objectstorage.memory.MemoryBackend(bufferFactory)) {
					@Override
					public Mono<ObjectMetadata> stat(String path) {
						return (stats.incrementAndGet() == 1)
								? Mono.error(new StorageException(ErrorKind.RATE_LIMITED, "slow down"))
								: super.stat(path);
					}
				};
			}

		};
		this.contextRunner
			.withPropertyValues("storage.type=flaky", "storage.retry.initial-backoff=1ms",
					"storage.retry.max-backoff=1ms")
			.withBean(StorageBackendFactory.class, () -> flaky)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				storage.write("a", new byte[1]).block(TIMEOUT);
				assertThat(storage.stat("a").block(TIMEOUT).size()).isEqualTo(1);
				assertThat(stats.get()).isEqualTo(2);
				OperationMetrics.Snapshot stat = context.getBean(StorageMetricsRegistry.class)
					.operations("default")
					.get(Operation.STAT.ordinal());
				assertThat(stat.retries()).containsEntry(ErrorKind.RATE_LIMITED, 1L);
				assertThat(stat.successes()).isEqualTo(1);
				assertThat(context.getBean(MeterRegistry.class)
					.get("storage.retries")
					.tags("storage", "default", "operation", "stat", "kind", "rate-limited")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void metricsCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("storage.type=memory", "storage.metrics.enabled=false")
			.run((context) -> assertThat(context.getBean(StorageMetricsRegistry.class).operations("default")).isNull());
	}

	@Test
	void layersFromPropertiesBuild() {
		this.contextRunner
			.withPropertyValues("storage.type=memory", "storage.retry.max-attempts=5",
					"storage.retry.initial-backoff=10ms", "storage.timeout.operation=2s", "storage.timeout.idle=1s",
					"storage.concurrency-limit.max-concurrent=4")
			.run((context) -> {
				ObjectStorage storage = context.getBean(ObjectStorage.class);
				Flux.range(0, 20).flatMap((i) -> storage.write("f" + i, new byte[10])).blockLast(TIMEOUT);
				assertThat(storage.list("").count().block(TIMEOUT)).isEqualTo(20);
			});
	}

	@Test
	void storageLocationsResolveAsResources() {
		this.contextRunner.withPropertyValues("storage.type=fs", "storage.fs.root=" + this.temp.resolve("res"))
			.run((context) -> {
				context.getBean(ObjectStorage.class).write("docs/a.txt", "resource".getBytes()).block(TIMEOUT);
				Resource resource = context.getResource("storage://default/docs/a.txt");
				assertThat(resource.exists()).isTrue();
				assertThat(resource.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("resource");
			});
	}

	@Test
	void withoutTheS3ModuleFsStillWorksAndS3IsExplained() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(S3Backend.class))
			.withPropertyValues("storage.type=fs", "storage.fs.root=" + this.temp.resolve("x"))
			.run((context) -> assertThat(context).hasSingleBean(ObjectStorage.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(S3Backend.class))
			.withPropertyValues("storage.type=s3", "storage.s3.bucket=b")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("storage.type").contains("storage-s3");
				assertThat(analysis.getAction()).contains("fs, memory");
			});
	}

	@Test
	void everyRegisteredTypeHasItsBackendFactory() {
		this.contextRunner.run((context) -> assertThat(context.getBeansOfType(StorageBackendFactory.class).values()
			.stream()
			.map(StorageBackendFactory::type)).containsExactlyInAnyOrderElementsOf(
					StorageBackendTypes.ALL.stream().map(StorageBackendType::type).toList()));
	}

	@Test
	void theMainSettingOfAnyRegisteredTypeWithoutTypeFails() {
		this.contextRunner.withPropertyValues("storage.sftp.host=forgot-the-type").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.sftp.host is set but storage.type is not");
			assertThat(analysis.getAction()).contains("Set storage.type to sftp");
		});
	}

	@Test
	void unknownTypeFailsWithTheValidTypes() {
		this.contextRunner.withPropertyValues("storage.type=ftp").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.type").contains("'ftp'");
			assertThat(analysis.getAction()).contains("fs, memory, s3");
		});
	}

	@Test
	void missingBucketFails() {
		this.contextRunner.withPropertyValues("storage.instances.photos.type=s3").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.instances.photos.s3.bucket");
			assertThat(analysis.getAction()).contains("Set storage.instances.photos.s3.bucket");
		});
	}

	@Test
	void tooSmallOrNegativePartSizeFails() {
		for (String size : List.of("-1MB", "1MB")) {
			this.contextRunner.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.part-size=" + size)
				.run((context) -> {
					FailureAnalysis analysis = analysis(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("storage.s3.part-size");
					assertThat(analysis.getAction()).contains("5MB");
				});
		}
	}

	@Test
	void fsRootThatIsAFileFails() throws Exception {
		Path file = Files.writeString(this.temp.resolve("file.txt"), "x");
		this.contextRunner.withPropertyValues("storage.type=fs", "storage.fs.root=" + file).run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.fs.root").contains("not a directory");
			assertThat(analysis.getAction()).contains("storage.fs.root");
		});
	}

	@Test
	void invalidFsSettingsNameTheirProperty() {
		this.contextRunner
			.withPropertyValues("storage.type=fs", "storage.fs.root=" + this.temp, "storage.fs.mmap-threshold=-1B")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.fs.mmap-threshold"));
		this.contextRunner
			.withPropertyValues("storage.type=fs", "storage.fs.root=" + this.temp, "storage.fs.temp-max-age=-1s")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.fs.temp-max-age"));
	}

	@Test
	void missingFsRootFails() {
		this.contextRunner.withPropertyValues("storage.type=fs").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.fs.root");
		});
	}

	@Test
	void unknownPrimaryFails() {
		this.contextRunner.withPropertyValues("storage.instances.a.type=memory", "storage.primary=b")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("storage.primary").contains("'b'");
				assertThat(analysis.getAction()).contains("a");
			});
	}

	@Test
	void severalStoragesWithoutPrimaryFail() {
		this.contextRunner.withPropertyValues("storage.instances.a.type=memory", "storage.instances.b.type=memory")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getAction()).contains("storage.primary"));
	}

	@Test
	void settingsWithoutTypeFail() {
		this.contextRunner.withPropertyValues("storage.s3.bucket=forgot-the-type").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.type");
			assertThat(analysis.getAction()).contains("Set storage.type to s3");
		});
		this.contextRunner.withPropertyValues("storage.instances.x.fs.root=/tmp").run((context) -> {
			assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("storage.instances.x.type");
		});
	}

	@Test
	void invalidLayerSettingsFail() {
		this.contextRunner.withPropertyValues("storage.type=memory", "storage.retry.max-attempts=0").run((context) -> {
			assertThat(analysis(context.getStartupFailure()).getDescription()).contains("storage.retry");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Consumers {

		ObjectStorage photos;

		ObjectStorage cache;

		ObjectStorage primary;

		@Bean
		String consumer(@Qualifier("photos") ObjectStorage photos, @Qualifier("cache") ObjectStorage cache,
				ObjectStorage primary) {
			this.photos = photos;
			this.cache = cache;
			this.primary = primary;
			return "consumer";
		}

	}


}
