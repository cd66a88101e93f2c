package dev.objectstorage.benchmarks;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * Spring WebFlux's own static resource handler and nothing else, the reference of the HTTP
 * downloads in {@code run-http-benchmarks.sh}: Spring Boot's auto-configured WebFlux on Reactor
 * Netty, serving a directory under {@code /files/**} (zero-copy, as WebFlux writes file resources).
 * The script starts it with
 * {@code --spring.web.resources.static-locations=file:<directory>/ --spring.webflux.static-path-pattern=/files/**}
 * and {@code --server.port=<port>}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class StaticFilesApplication {

	public static void main(String[] args) {
		SpringApplication.run(StaticFilesApplication.class, args);
	}

}
