package dev.objectstorage.autoconfigure;

import java.io.IOException;
import java.util.Properties;

import dev.objectstorage.autoconfigure.actuate.StorageEndpoint;
import dev.objectstorage.autoconfigure.s3.S3StorageProperties;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's hints for Spring AOT: registered where Spring looks for them, and covering what
 * it reflects on.
 */
class StorageRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	StorageRuntimeHintsTests() {
		new StorageRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void areRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(StorageRuntimeHints.class);
	}

	@Test
	void propertiesCanBeBound() {
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageProperties.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(S3StorageProperties.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageInstanceProperties.Observations.class))
			.accepts(this.hints);
	}

	@Test
	void everyClassInSpringFactoriesCanBeMade() throws IOException {
		Properties factories = PropertiesLoaderUtils.loadProperties(new ClassPathResource("META-INF/spring.factories"));
		int listed = 0;
		for (String key : factories.stringPropertyNames()) {
			for (String type : StringUtils.commaDelimitedListToStringArray(factories.getProperty(key))) {
				listed++;
				assertThat(RuntimeHintsPredicates.reflection()
					.onType(TypeReference.of(type.trim()))
					.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(type).accepts(this.hints);
			}
		}
		assertThat(listed).isEqualTo(StorageRuntimeHints.FACTORIES.size());
	}

	@Test
	void endpointAnswersCanBeWritten() {
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageEndpoint.HistoryDescriptor.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageEndpoint.PerSecond.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageEndpoint.OperationDescriptor.class))
			.accepts(this.hints);
	}

}
