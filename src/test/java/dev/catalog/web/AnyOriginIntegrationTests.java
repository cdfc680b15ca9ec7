package dev.catalog.web;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code catalog.cors.allowed-origins=*}, a page of any origin may read, never write. */
@CatalogIntegrationTest
@TestPropertySource(properties = "catalog.cors.allowed-origins=*")
class AnyOriginIntegrationTests {

	private static final String ANYWHERE = "https://anywhere.example";

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(30, 5);
	}

	@Test
	void anyOriginReadsWithTheExposedHeaders() {
		HttpHeaders headers = this.http.get()
			.uri("/api/v1/artifacts?limit=5")
			.header(HttpHeaders.ORIGIN, ANYWHERE)
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseHeaders();
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo("*");
		assertThat(headers.getAccessControlExposeHeaders()).contains("ETag", "X-Cache", "Server-Timing");
		assertThat(headers.getFirst("Timing-Allow-Origin")).isEqualTo("*");
		VaryIntegrationTests.assertVaries(headers);
	}

	@Test
	void aReadPreflightIsAllowed() {
		HttpHeaders headers = this.http.options()
			.uri("/api/v1/artifacts")
			.header(HttpHeaders.ORIGIN, ANYWHERE)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match,last-event-id")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.isEmpty()
			.getResponseHeaders();
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo("*");
		assertThat(headers.getAccessControlAllowMethods()).containsExactly(HttpMethod.GET, HttpMethod.HEAD);
	}

	@Test
	void aWritePreflightIsRefused() {
		for (String method : new String[] { "POST", "PATCH", "PUT", "DELETE" }) {
			HttpHeaders headers = this.http.options()
				.uri("/api/v1/artifacts")
				.header(HttpHeaders.ORIGIN, ANYWHERE)
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method)
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectBody()
				.returnResult()
				.getResponseHeaders();
			CrossOriginIntegrationTests.assertCorsHeadersAbsent(headers);
		}
	}

}
