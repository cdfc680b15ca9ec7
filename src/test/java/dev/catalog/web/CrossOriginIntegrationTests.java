package dev.catalog.web;

import java.util.Locale;
import java.util.Map;

import dev.catalog.Statements;
import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.WriteIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser page of {@code https://app.example} uses the API across origins: its preflights
 * are answered before anything else runs (no SQL statement, no Redis command), its reads,
 * writes and refusals carry the CORS headers it needs to read them; a page of any other origin
 * gets no CORS headers and its preflights are refused.
 */
@WriteIntegrationTest
@TestPropertySource(properties = "catalog.cors.allowed-origins=" + CrossOriginIntegrationTests.APP)
class CrossOriginIntegrationTests {

	static final String APP = "https://app.example";

	static final String OTHER = "https://other.example";

	@Autowired
	WebTestClient anonymous;

	@Autowired
	TestCatalog catalog;

	@Autowired
	MeterRegistry registry;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(30, 5);
	}

	@Test
	void aWritePreflightIsAnsweredWithoutAnySqlStatementOrRedisCommand() {
		long statements = Statements.total(this.registry);
		Map<String, Long> redis = this.catalog.redisCommands();

		HttpHeaders headers = preflight(APP, "POST", "authorization,content-type").expectStatus()
			.isOk()
			.expectBody()
			.isEmpty()
			.getResponseHeaders();

		assertThat(Statements.total(this.registry)).isEqualTo(statements);
		assertThat(this.catalog.redisCommands()).isEqualTo(redis);
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(headers.getAccessControlAllowMethods()).contains(HttpMethod.POST, HttpMethod.PATCH, HttpMethod.PUT,
				HttpMethod.DELETE, HttpMethod.GET);
		assertThat(headers.getAccessControlAllowHeaders()).map((name) -> name.toLowerCase(Locale.ROOT))
			.containsExactlyInAnyOrder("authorization", "content-type");
		assertThat(headers.getAccessControlMaxAge()).isEqualTo(3600);
		assertThat(headers.getFirst("Server-Timing")).as("statement accounting never ran").isNull();

		// the same measures see a read
		this.anonymous.get().uri("/api/v1/artifacts?limit=5").exchange().expectStatus().isOk();
		assertThat(Statements.total(this.registry)).isGreaterThan(statements);
		assertThat(this.catalog.redisCommands()).isNotEqualTo(redis);
	}

	@Test
	void aCrossOriginWriteWithATokenSucceedsAndItsLocationIsReadable() {
		HttpHeaders headers = TestClients.writer(this.anonymous)
			.post()
			.uri("/api/v1/artifacts")
			.header(HttpHeaders.ORIGIN, APP)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "cross-origin", "type", "skill"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseHeaders();
		assertThat(headers.getLocation()).isNotNull();
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(headers.getAccessControlExposeHeaders()).contains("Location", "ETag", "Retry-After", "X-Cache",
				"Server-Timing", "RateLimit", "RateLimit-Policy", "Content-Encoding");
		assertThat(headers.getFirst("Timing-Allow-Origin")).isEqualTo(APP);
	}

	@Test
	void aCrossOriginReadAndItsProblemsCarryTheCorsHeaders() {
		HttpHeaders page = answer(HttpMethod.GET, "/api/v1/artifacts?limit=5", APP, HttpStatus.OK);
		assertThat(page.getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(page.getFirst("Timing-Allow-Origin")).isEqualTo(APP);
		assertThat(page.getFirst("Server-Timing")).isNotNull();
		VaryIntegrationTests.assertVaries(page);

		HttpHeaders badRequest = answer(HttpMethod.GET, "/api/v1/artifacts?limit=0", APP, HttpStatus.BAD_REQUEST);
		assertThat(badRequest.getAccessControlAllowOrigin()).isEqualTo(APP);
		VaryIntegrationTests.assertVaries(badRequest);

		HttpHeaders unauthorized = answer(HttpMethod.DELETE, "/api/v1/artifacts/6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f70", APP, HttpStatus.UNAUTHORIZED);
		assertThat(unauthorized.getAccessControlAllowOrigin()).isEqualTo(APP);
	}

	@Test
	void anotherOriginsPreflightIs403AndChangesNothing() {
		long artifacts = this.catalog.count("SELECT count(*) FROM artifacts");
		long statements = Statements.total(this.registry);
		Map<String, Long> redis = this.catalog.redisCommands();

		HttpHeaders headers = preflight(OTHER, "POST", "authorization,content-type").expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.returnResult()
			.getResponseHeaders();

		assertCorsHeadersAbsent(headers);
		assertThat(Statements.total(this.registry)).isEqualTo(statements);
		assertThat(this.catalog.redisCommands()).isEqualTo(redis);
		assertThat(this.catalog.count("SELECT count(*) FROM artifacts")).isEqualTo(artifacts);
		assertCorsHeadersAbsent(preflight(OTHER, "GET", null).expectStatus().isForbidden().expectBody().returnResult()
			.getResponseHeaders());
	}

	@Test
	void anotherOriginsReadIsServedWithoutCorsHeaders() {
		HttpHeaders headers = answer(HttpMethod.GET, "/api/v1/artifacts?limit=5", OTHER, HttpStatus.OK);
		assertCorsHeadersAbsent(headers);
		VaryIntegrationTests.assertVaries(headers);
	}

	/** The headers of an anonymous request from {@code origin}, after checking its status. */
	private HttpHeaders answer(HttpMethod method, String uri, String origin, HttpStatus status) {
		return this.anonymous.method(method)
			.uri(uri)
			.header(HttpHeaders.ORIGIN, origin)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseHeaders();
	}

	private WebTestClient.ResponseSpec preflight(String origin, String method, String headers) {
		WebTestClient.RequestHeadersSpec<?> request = this.anonymous.options()
			.uri("/api/v1/artifacts")
			.header(HttpHeaders.ORIGIN, origin)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method);
		if (headers != null) {
			request.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, headers);
		}
		return request.exchange();
	}

	static void assertCorsHeadersAbsent(HttpHeaders headers) {
		assertThat(headers.headerNames()).noneMatch((name) -> name.toLowerCase(Locale.ROOT).startsWith("access-control-")
				|| name.equalsIgnoreCase("Timing-Allow-Origin"));
	}

}
