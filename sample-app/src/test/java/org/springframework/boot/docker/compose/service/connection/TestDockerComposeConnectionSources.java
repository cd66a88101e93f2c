package org.springframework.boot.docker.compose.service.connection;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.core.env.StandardEnvironment;

/**
 * Makes the {@link DockerComposeConnectionSource} Spring Boot makes for a running service (its
 * constructor is package-private), so that the storage's connection details factories are tested
 * without Docker.
 */
public final class TestDockerComposeConnectionSources {

	private TestDockerComposeConnectionSources() {
	}

	public static DockerComposeConnectionSource of(RunningService service) {
		return new DockerComposeConnectionSource(service, new StandardEnvironment());
	}

}
