package dev.catalog.web;

import java.util.List;
import java.util.Locale;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of answer to a read says that its body depends on {@code Accept},
 * {@code Accept-Encoding} and {@code Origin}: JSON pages, 304s, NDJSON and event streams, and
 * problems, each name once, in one header line.
 */
@CatalogIntegrationTest
class VaryIntegrationTests {

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
	void aJsonPageAndItsNotModifiedBothVary() {
		HttpHeaders page = this.http.get()
			.uri("/api/v1/artifacts?limit=5")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseHeaders();
		assertVaries(page);
		HttpHeaders notModified = this.http.get()
			.uri("/api/v1/artifacts?limit=5")
			.header(HttpHeaders.IF_NONE_MATCH, page.getETag())
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectBody()
			.isEmpty()
			.getResponseHeaders();
		assertVaries(notModified);
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/x-ndjson", "text/event-stream" })
	void streamsVary(String accept) {
		HttpHeaders headers = this.http.get()
			.uri("/api/v1/artifacts?limit=3")
			.accept(MediaType.parseMediaType(accept))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseHeaders();
		assertThat(headers.getContentType().isCompatibleWith(MediaType.parseMediaType(accept))).isTrue();
		assertVaries(headers);
	}

	@Test
	void problemsVary() {
		assertVaries(headers(this.http.get().uri("/api/v1/artifacts?limit=0").exchange(), 400));
		assertVaries(headers(this.http.get().uri("/api/v1/artifacts").accept(MediaType.TEXT_PLAIN).exchange(), 406));
		assertVaries(headers(this.http.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange(), 401));
	}

	@Test
	void answersOutsideTheApiAreLeftAlone() {
		assertThat(headers(this.http.get().uri("/actuator/health").exchange(), 200).getVary())
			.doesNotContain("Accept-Encoding", "Origin");
	}

	private static HttpHeaders headers(WebTestClient.ResponseSpec response, int status) {
		return response.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseHeaders();
	}

	static void assertVaries(HttpHeaders headers) {
		assertThat(headers.get(HttpHeaders.VARY)).as("Vary header lines").hasSize(1);
		List<String> names = headers.getVary().stream().map((name) -> name.toLowerCase(Locale.ROOT)).toList();
		assertThat(names).contains("accept", "accept-encoding", "origin").doesNotHaveDuplicates();
	}

}
