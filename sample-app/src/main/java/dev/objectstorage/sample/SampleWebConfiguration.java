package dev.objectstorage.sample;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebFilter;

/**
 * What keeps the app safe in a browser: requests must name a host the app serves (no DNS
 * rebinding), cross-origin requests are refused (no cross-site uploads or deletes), and every
 * response tells the browser not to sniff types; stored files are served in a sandbox (see
 * {@link FilesController}).
 */
@Configuration(proxyBeanMethods = false)
class SampleWebConfiguration {

	/** The names a local app answers to, besides {@code sample.allowed-hosts}. */
	private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

	/**
	 * Refuses requests whose {@code Host} is not one this app serves, with 421 (Misdirected
	 * Request): a page on another site whose name was pointed at 127.0.0.1 (DNS rebinding) would
	 * otherwise be same-origin with the app.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter allowedHosts(SampleProperties properties) {
		Set<String> allowed = new HashSet<>(LOOPBACK);
		properties.getAllowedHosts().forEach((host) -> allowed.add(host.toLowerCase(Locale.ROOT)));
		return (exchange, chain) -> {
			String host = exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST);
			if (host != null && !allowed.contains(hostName(host))) {
				return Mono.error(new ResponseStatusException(HttpStatus.MISDIRECTED_REQUEST,
						"This app does not serve the host " + MalformedHeaderException.printable(host)
								+ " (add it to sample.allowed-hosts)"));
			}
			return chain.filter(exchange);
		};
	}

	/** The host of a {@code Host} header, without its port, in lower case. */
	static String hostName(String host) {
		String h = host.trim().toLowerCase(Locale.ROOT);
		if (h.startsWith("[")) {
			int end = h.indexOf(']');
			return (end > 0) ? h.substring(0, end + 1) : h;
		}
		int colon = h.indexOf(':');
		return (colon >= 0) ? h.substring(0, colon) : h;
	}

	/**
	 * Spring's CORS support with no allowed origin: a request from another origin (a form posted by
	 * another site, a script on it, or a stored file opened in its sandbox, whose origin is
	 * {@code null}) gets 403 before it reaches a handler; same-origin requests pass.
	 */
	@Bean
	CorsWebFilter corsWebFilter() {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", new CorsConfiguration());
		return new CorsWebFilter(source);
	}

	/** {@code HEAD /} answers where {@code GET /} does (Boot's welcome page maps GET only). */
	@Bean
	RouterFunction<ServerResponse> headOfThePage(@Value("classpath:/static/index.html") Resource page) {
		return RouterFunctions.route(RequestPredicates.HEAD("/"),
				(request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page));
	}

	/**
	 * {@code X-Content-Type-Options: nosniff} on every response, and a Content Security Policy: the
	 * page may load only its own scripts and styles; stored files get theirs in {@link FilesController}.
	 */
	@Bean
	WebFilter securityHeaders() {
		return (exchange, chain) -> {
			exchange.getResponse().beforeCommit(() -> {
				HttpHeaders headers = exchange.getResponse().getHeaders();
				headers.set("X-Content-Type-Options", "nosniff");
				if (!headers.containsHeader("Content-Security-Policy")) {
					headers.set("Content-Security-Policy",
							"default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
				}
				return Mono.empty();
			});
			return chain.filter(exchange);
		};
	}

}
