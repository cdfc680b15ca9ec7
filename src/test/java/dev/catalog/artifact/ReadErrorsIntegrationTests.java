package dev.catalog.artifact;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every read error is problem+json with type, title, status and detail.
 */
@CatalogIntegrationTest
class ReadErrorsIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(30, 5);
	}

	static Stream<Arguments> badRequests() {
		return Stream.of(Arguments.of("/api/v1/artifacts?limit=0", "limit"),
				Arguments.of("/api/v1/artifacts?limit=201", "limit"),
				Arguments.of("/api/v1/artifacts?limit=ten", "limit"),
				Arguments.of("/api/v1/collections?limit=-1", "limit"),
				Arguments.of("/api/v1/artifacts?cursor=garbage", "cursor"),
				Arguments.of("/api/v1/artifacts?type=plugin", "type"),
				Arguments.of("/api/v1/artifacts?collection=nope", "UUID"),
				Arguments.of("/api/v1/artifacts/not-a-uuid", "UUID"),
				Arguments.of("/api/v1/artifacts/6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f7", "UUID"),
				Arguments.of("/api/v1/collections/123", "UUID"),
				Arguments.of("/api/v1/collections/123/artifacts", "UUID"));
	}

	@ParameterizedTest
	@MethodSource("badRequests")
	void malformedParametersIdsAndCursorsAre400(String uri, String mentioned) {
		Map<String, Object> problem = problem(uri, MediaType.APPLICATION_JSON, 400);
		assertThat((String) problem.get("detail")).contains(mentioned);
	}

	@Test
	void aTamperedCursorIs400() {
		String cursor = nextCursor("/api/v1/artifacts?limit=5");
		String tampered = cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("A") ? "BB" : "AA");
		problem("/api/v1/artifacts?limit=5&cursor=" + tampered, MediaType.APPLICATION_JSON, 400);
	}

	@Test
	void aCursorOfAnotherListIs400() {
		String cursor = nextCursor("/api/v1/artifacts?limit=5");
		Map<String, Object> problem = problem("/api/v1/artifacts?limit=5&type=skill&cursor=" + cursor,
				MediaType.APPLICATION_JSON, 400);
		assertThat((String) problem.get("detail")).contains("another list");
		problem("/api/v1/collections?limit=5&cursor=" + cursor, MediaType.APPLICATION_JSON, 400);
	}

	@Test
	void unknownIdsAre404() {
		UUID unknown = UUID.randomUUID();
		assertThat((String) problem("/api/v1/artifacts/" + unknown, MediaType.APPLICATION_JSON, 404).get("detail"))
			.contains(unknown.toString());
		problem("/api/v1/collections/" + unknown, MediaType.APPLICATION_JSON, 404);
		problem("/api/v1/collections/" + unknown + "/artifacts", MediaType.APPLICATION_JSON, 404);
	}

	@Test
	void anUnsupportedAcceptIs406() {
		problem("/api/v1/artifacts", MediaType.parseMediaType("text/csv"), 406);
		problem("/api/v1/artifacts/" + UUID.randomUUID(), MediaType.APPLICATION_XML, 406);
		problem("/api/v1/collections", MediaType.TEXT_PLAIN, 406);
		problem("/api/v1/stats", MediaType.parseMediaType("image/png"), 406);
	}

	@Test
	void anUnknownPathIs404ProblemJson() {
		problem("/api/v1/nothing-here", MediaType.APPLICATION_JSON, 404);
	}

	private Map<String, Object> problem(String uri, MediaType accept, int status) {
		Map<String, Object> problem = this.http.get()
			.uri(uri)
			.accept(accept)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(problem).containsEntry("status", status).containsKeys("type", "title", "detail");
		assertThat((String) problem.get("type")).startsWith("https://");
		return problem;
	}

	private String nextCursor(String uri) {
		return (String) this.http.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("nextCursor");
	}

}
