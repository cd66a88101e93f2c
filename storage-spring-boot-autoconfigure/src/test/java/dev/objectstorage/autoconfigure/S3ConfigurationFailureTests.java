package dev.objectstorage.autoconfigure;

import java.time.Duration;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * S3 configuration mistakes a new user makes are failure analyses naming the property and the fix
 * (a missing region, an endpoint that is not a URL), or, for credentials the SDK looks up only when
 * it first needs them, a short CONFIG_INVALID error instead of the SDK's essay.
 */
class S3ConfigurationFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	private String configFile;

	private String metadata;

	@BeforeEach
	void noRegionFromThisMachine() {
		assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
				"this machine's environment sets an AWS region");
		// neither a profile file nor the instance metadata service may supply one
		this.configFile = System.setProperty("aws.configFile", "/nonexistent/aws-config");
		this.metadata = System.setProperty("aws.disableEc2Metadata", "true");
	}

	@AfterEach
	void restore() {
		restore("aws.configFile", this.configFile);
		restore("aws.disableEc2Metadata", this.metadata);
	}

	private static void restore(String key, String value) {
		if (value == null) {
			System.clearProperty(key);
		}
		else {
			System.setProperty(key, value);
		}
	}

	private static FailureAnalysis analysis(Throwable failure) {
		FailureAnalysis analysis = new StorageConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Test
	void aMissingRegionNamesTheProperty() {
		this.contextRunner.withPropertyValues("storage.type=s3", "storage.s3.bucket=my-bucket").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.s3.region").contains("No AWS region");
			assertThat(analysis.getAction()).contains("Set storage.s3.region").contains("AWS_REGION");
		});
	}

	@Test
	void anEndpointThatIsNotAUrlNamesTheProperty() {
		for (String endpoint : new String[] { "localhost:9000", "ftp://127.0.0.1", "just-a-name" }) {
			this.contextRunner.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.region=eu-west-1",
					"storage.s3.endpoint=" + endpoint).run((context) -> {
						FailureAnalysis analysis = analysis(context.getStartupFailure());
						assertThat(analysis.getDescription()).contains("storage.s3.endpoint");
						assertThat(analysis.getAction()).contains("http://127.0.0.1:9000");
					});
		}
	}

	@Test
	void halfAStaticKeyNamesTheMissingHalf() {
		this.contextRunner
			.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.region=eu-west-1",
					"storage.s3.access-key-id=id")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: storage.s3.secret-access-key");
				assertThat(analysis.getAction()).contains("storage.s3.access-key-id");
			});
		this.contextRunner
			.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.region=eu-west-1",
					"storage.s3.secret-access-key=not-for-logs")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.s3.access-key-id")
				.doesNotContain("not-for-logs"));
		this.contextRunner
			.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.region=eu-west-1",
					"storage.s3.parts-in-flight=0")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("Property: storage.s3.parts-in-flight"));
	}

	@Test
	void noCredentialsAnywhereIsAShortConfigError() {
		assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
				&& System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null, "this machine's environment has AWS credentials");
		String credentials = System.setProperty("aws.sharedCredentialsFile", "/nonexistent/aws-credentials");
		try {
			this.contextRunner
				.withPropertyValues("storage.type=s3", "storage.s3.bucket=b", "storage.s3.region=eu-west-1",
						"storage.s3.endpoint=http://127.0.0.1:1", "storage.retry.enabled=false")
				.run((context) -> {
					ObjectStorage storage = context.getBean(ObjectStorage.class);
					StorageException ex = catchThrowableOfType(StorageException.class,
							() -> storage.stat("a").block(Duration.ofSeconds(60)));
					assertThat(ex.kind()).isEqualTo(ErrorKind.CONFIG_INVALID);
					assertThat(ex.getMessage()).startsWith("No AWS credentials were found").hasSizeLessThan(300);
				});
		}
		finally {
			restore("aws.sharedCredentialsFile", credentials);
		}
	}

}
