package org.springframework.boot.testcontainers.service.connection;

import java.util.List;

import org.testcontainers.containers.Container;

import org.springframework.boot.origin.Origin;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * Makes the {@link ContainerConnectionSource} Spring Boot makes for a {@code @ServiceConnection}
 * container (its constructor is package-private), so that the storage's connection details
 * factories are tested without Docker: the container is made only if a factory asks for it, and never started.
 */
public final class TestContainerConnectionSources {

	private TestContainerConnectionSources() {
	}

	public static <C extends Container<?>> ContainerConnectionSource<C> of(Class<C> type, String imageName,
			java.util.function.Supplier<C> container) {
		return new ContainerConnectionSource<>("test", new Origin() {
		}, type, imageName, MergedAnnotation.of(ServiceConnection.class), container,
				new SslBundleSource(null, null, null, null, null), MergedAnnotations.from(List.of().toArray(new java.lang.annotation.Annotation[0])));
	}

}
