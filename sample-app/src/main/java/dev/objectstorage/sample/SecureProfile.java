package dev.objectstorage.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The {@code secure} profile: every request but the health probe needs the one user of
 * {@code spring.security.user.*} (HTTP Basic). CSRF tokens are off because cross-site requests are
 * already refused by origin ({@link SampleWebConfiguration}: a browser sends {@code Origin} with
 * every cross-site write, and the app refuses any other origin than its own); the app's own caching
 * headers are kept.
 */
@Configuration(proxyBeanMethods = false)
@Profile("secure")
@EnableWebFluxSecurity
class SecureProfile {

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.anyExchange()
				.authenticated())
			.httpBasic((basic) -> {
			})
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.headers((headers) -> headers.cache(ServerHttpSecurity.HeaderSpec.CacheSpec::disable))
			.build();
	}

}
