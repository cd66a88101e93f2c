package dev.objectstorage.autoconfigure.web;

import dev.objectstorage.StorageException;
import dev.objectstorage.autoconfigure.StorageAutoConfiguration;
import dev.objectstorage.autoconfigure.StorageProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

/**
 * Makes {@link StorageException}s that reach an annotated controller RFC 9457 problems, in WebFlux
 * and in Servlet MVC applications, through a {@link StorageExceptionHandler} of the lowest
 * precedence (the application's own {@code @ExceptionHandler}s win). Switched off with
 * {@code storage.web.problem-details.enabled=false}, or replaced by a bean of the application's of
 * the same type.
 */
@AutoConfiguration(after = StorageAutoConfiguration.class)
@ConditionalOnClass({ StorageException.class, ProblemDetail.class })
@ConditionalOnBooleanProperty(name = "storage.web.problem-details.enabled", matchIfMissing = true)
@EnableConfigurationProperties(StorageProperties.class)
public final class StorageWebAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StorageExceptionHandler storageExceptionHandler(StorageProperties properties) {
			return new StorageExceptionHandler(properties.getWeb().getProblemDetails().getRetryAfter());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StorageExceptionHandler storageExceptionHandler(StorageProperties properties) {
			return new StorageExceptionHandler(properties.getWeb().getProblemDetails().getRetryAfter());
		}

	}

}
