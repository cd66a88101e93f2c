package dev.objectstorage.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.objectstorage.autoconfigure.actuate.StorageEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What the starter needs at run time in a native image, for Spring AOT (registered in
 * {@code META-INF/spring/aot.factories}): the {@code storage.*} properties, and the settings of each
 * registered type ({@link StorageBackendTypes}), are bound by reflection,
 * the Actuator endpoint's answers are written by Jackson, and the failure analyzer and connection
 * details factories are made from {@code spring.factories} by their constructors. Each backend's
 * SDK (AWS, Azure, MINA SSHD, Reactor Netty) brings, or lacks, its own native-image metadata: this
 * project checks the starter after AOT processing on the JVM, not as a native image.
 */
class StorageRuntimeHints implements RuntimeHintsRegistrar {

	/** The classes listed in this module's {@code spring.factories}, made by their constructors. */
	static final List<String> FACTORIES = List.of("dev.objectstorage.autoconfigure.StorageConfigurationFailureAnalyzer",
			"dev.objectstorage.autoconfigure.testcontainers.MinIOContainerConnectionDetailsFactory",
			"dev.objectstorage.autoconfigure.testcontainers.LocalStackContainerConnectionDetailsFactory",
			"dev.objectstorage.autoconfigure.testcontainers.AzuriteContainerConnectionDetailsFactory",
			"dev.objectstorage.autoconfigure.docker.MinioDockerComposeConnectionDetailsFactory",
			"dev.objectstorage.autoconfigure.docker.LocalStackDockerComposeConnectionDetailsFactory",
			"dev.objectstorage.autoconfigure.docker.AzuriteDockerComposeConnectionDetailsFactory");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		List<Class<?>> bound = new ArrayList<>();
		bound.add(StorageProperties.class);
		StorageBackendTypes.ALL.stream()
			.map(StorageBackendType::properties)
			.filter(Objects::nonNull)
			.forEach(bound::add);
		BindableRuntimeHintsRegistrar.forTypes(bound.toArray(Class<?>[]::new)).registerHints(hints, classLoader);
		for (String factory : FACTORIES) {
			hints.reflection()
				.registerType(TypeReference.of(factory), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		}
		if (ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint", classLoader)) {
			new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
					StorageEndpoint.StoragesDescriptor.class, StorageEndpoint.StorageDescriptor.class,
					StorageEndpoint.HistoryDescriptor.class);
		}
	}

}
