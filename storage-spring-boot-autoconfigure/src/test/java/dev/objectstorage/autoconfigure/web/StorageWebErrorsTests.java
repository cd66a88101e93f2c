package dev.objectstorage.autoconfigure.web;

import java.io.IOException;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@ExtendWith(OutputCaptureExtension.class)
class StorageWebErrorsTests {

	private static final String SECRET_LOCATION = "/srv/secret-root/data";

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageWebAutoConfiguration.class));

	private final WebApplicationContextRunner servletRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageWebAutoConfiguration.class));

	/** A controller that throws the storage error its path names. */
	@RestController
	static class FailingController {

		@GetMapping("/fail/{kind}")
		String fail(@PathVariable String kind) {
			ErrorKind errorKind = ErrorKind.valueOf(kind);
			throw new StorageException(errorKind,
					"I/O error on docs/a.txt: " + SECRET_LOCATION + "/docs/a.txt (https://key:secret@s3.internal)",
					Operation.READ, "docs/a.txt", "default", errorKind.isTemporaryByDefault(),
					new IOException(SECRET_LOCATION));
		}

		@GetMapping("/invalid")
		String invalid() {
			throw StorageException.invalidInput("path must not contain '..' segments: a/../b");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	@Import(FailingController.class)
	static class WebFluxApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(FailingController.class)
	static class MvcApp {

	}

	/** The application's own handler for storage errors. */
	@RestControllerAdvice
	static class OwnHandler {

		@ExceptionHandler(StorageException.class)
		ResponseEntity<String> storage(StorageException ex) {
			return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("own " + ex.kind());
		}

	}

	private static WebTestClient client(org.springframework.context.ApplicationContext context) {
		return WebTestClient.bindToApplicationContext(context).build();
	}

	private static MockMvc mvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).build();
	}

	@Test
	void webFluxAnswersStorageErrorsWithProblems() {
		this.reactiveRunner.withUserConfiguration(WebFluxApp.class).run((context) -> {
			assertThat(context).hasSingleBean(StorageExceptionHandler.class);
			WebTestClient client = client(context);
			expect(client, ErrorKind.NOT_FOUND, 404);
			expect(client, ErrorKind.CONDITION_NOT_MATCH, 412);
			expect(client, ErrorKind.RANGE_NOT_SATISFIABLE, 416);
			expect(client, ErrorKind.ALREADY_EXISTS, 409);
			expect(client, ErrorKind.INVALID_INPUT, 400);
			expect(client, ErrorKind.PERMISSION_DENIED, 500);
			expect(client, ErrorKind.TIMEOUT, 504);
			expect(client, ErrorKind.UNSUPPORTED, 501);
			expect(client, ErrorKind.CONFIG_INVALID, 500);
			expect(client, ErrorKind.UNEXPECTED, 500);
			expect(client, ErrorKind.RATE_LIMITED, 503).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
			client.get().uri("/fail/NOT_FOUND").exchange().expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER);
		});
	}

	private static WebTestClient.ResponseSpec expect(WebTestClient client, ErrorKind kind, int status) {
		WebTestClient.ResponseSpec response = client.get().uri("/fail/" + kind).exchange();
		response.expectStatus().isEqualTo(status)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.kind").isEqualTo(kind.name())
			.jsonPath("$.path").isEqualTo("docs/a.txt")
			.jsonPath("$.detail").isNotEmpty()
			.jsonPath("$.trace").doesNotExist()
			.consumeWith((result) -> assertThat(new String(result.getResponseBodyContent()))
				.doesNotContain("secret").doesNotContain("I/O error").doesNotContain("s3.internal"));
		return response;
	}

	@Test
	void theLibrarysOwnInputChecksAreExplainedToTheClient() {
		this.reactiveRunner.withUserConfiguration(WebFluxApp.class).run((context) -> client(context).get()
			.uri("/invalid").exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.kind").isEqualTo("INVALID_INPUT")
			.jsonPath("$.detail").isEqualTo("path must not contain '..' segments: a/../b"));
	}

	@Test
	void retryAfterCanBeConfigured() {
		this.reactiveRunner.withUserConfiguration(WebFluxApp.class)
			.withPropertyValues("storage.web.problem-details.retry-after=1500ms")
			.run((context) -> client(context).get().uri("/fail/RATE_LIMITED").exchange()
				.expectStatus().isEqualTo(503).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2"));
	}

	@Test
	void webFluxApplicationsOwnHandlerWins() {
		this.reactiveRunner.withUserConfiguration(WebFluxApp.class, OwnHandler.class).run((context) -> {
			assertThat(context).hasSingleBean(StorageExceptionHandler.class);
			client(context).get().uri("/fail/NOT_FOUND").exchange()
				.expectStatus().isEqualTo(HttpStatus.I_AM_A_TEAPOT)
				.expectBody(String.class).isEqualTo("own NOT_FOUND");
		});
	}

	@Test
	void webFluxSwitchedOffLeavesStorageErrorsToSpring() {
		this.reactiveRunner.withUserConfiguration(WebFluxApp.class)
			.withPropertyValues("storage.web.problem-details.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(StorageExceptionHandler.class);
				client(context).get().uri("/fail/NOT_FOUND").exchange()
					.expectStatus().isEqualTo(500)
					.expectBody().jsonPath("$.kind").doesNotExist();
			});
	}

	@Test
	void mvcAnswersStorageErrorsWithProblems() {
		this.servletRunner.withUserConfiguration(MvcApp.class).run((context) -> {
			assertThat(context).hasSingleBean(StorageExceptionHandler.class);
			MockMvc mvc = mvc(context);
			mvc.perform(get("/fail/NOT_FOUND"))
				.andExpect(status().isNotFound())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(404))
				.andExpect(jsonPath("$.kind").value("NOT_FOUND"))
				.andExpect(jsonPath("$.path").value("docs/a.txt"))
				.andExpect(content().string(org.hamcrest.Matchers.not(
						org.hamcrest.Matchers.containsString("secret"))));
			mvc.perform(get("/fail/CONDITION_NOT_MATCH")).andExpect(status().isPreconditionFailed())
				.andExpect(jsonPath("$.kind").value("CONDITION_NOT_MATCH"));
			mvc.perform(get("/fail/PERMISSION_DENIED")).andExpect(status().isInternalServerError());
			mvc.perform(get("/fail/RATE_LIMITED")).andExpect(status().isServiceUnavailable())
				.andExpect(header().string(HttpHeaders.RETRY_AFTER, "1"));
		});
	}

	@Test
	void mvcApplicationsOwnHandlerWins() {
		this.servletRunner.withUserConfiguration(MvcApp.class, OwnHandler.class).run((context) -> mvc(context)
			.perform(get("/fail/NOT_FOUND"))
			.andExpect(status().isIAmATeapot())
			.andExpect(content().string("own NOT_FOUND")));
	}

	@Test
	void mvcSwitchedOffCreatesNoHandler() {
		this.servletRunner.withUserConfiguration(MvcApp.class)
			.withPropertyValues("storage.web.problem-details.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StorageExceptionHandler.class));
	}

	@Test
	void noHandlerOutsideWebApplications() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StorageWebAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(StorageExceptionHandler.class));
	}

	@Test
	void expectedOutcomesAreNotWarningsAndOnlyUnexpectedErrorsHaveStackTraces(CapturedOutput output) {
		this.reactiveRunner.withUserConfiguration(WebFluxApp.class).run((context) -> {
			WebTestClient client = client(context);
			client.get().uri("/fail/NOT_FOUND").exchange().expectStatus().isNotFound();
			client.get().uri("/fail/CONDITION_NOT_MATCH").exchange().expectStatus().isEqualTo(412);
			assertThat(output).doesNotContain("answered with 404").doesNotContain("answered with 412");
			client.get().uri("/fail/RATE_LIMITED").exchange().expectStatus().isEqualTo(503);
			assertThat(output).contains("WARN").contains("answered with 503").doesNotContain("\tat ");
			client.get().uri("/fail/UNEXPECTED").exchange().expectStatus().isEqualTo(500);
			assertThat(output).contains("ERROR").contains("answered with 500").contains("\tat ");
		});
	}

}
