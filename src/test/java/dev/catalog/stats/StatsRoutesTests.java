package dev.catalog.stats;

import java.util.Map;

import dev.catalog.RouteSlice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.catalog.RouteSlice.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the stats route answers without reading anything: the totals are JSON only. Nothing
 * reaches PostgreSQL or Redis (see {@link RouteSlice}).
 */
class StatsRoutesTests {

	private final RouteSlice slice = new RouteSlice();

	private final WebTestClient client = this.slice
		.client(StatsRoutes.routes(new StatsHandler(new StatsQueries(this.slice.database()), null)));

	@AfterEach
	void nothingReachedTheDatabase() {
		assertThat(this.slice.connectionsAsked()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "image/png", "text/csv", "application/x-ndjson", "text/event-stream" })
	void anAcceptThatDoesNotTakeJsonIs406(String accept) {
		Map<String, Object> problem = problem(
				this.client.get().uri("/api/v1/stats").accept(MediaType.parseMediaType(accept)).exchange(), 406);
		assertThat(problem).containsEntry("title", "Not acceptable")
			.containsEntry("detail", "This resource is available as [application/json].")
			.containsEntry("instance", "/api/v1/stats");
	}

	@Test
	void onlyGetIsAnswered406() {
		this.client.post().uri("/api/v1/stats").accept(MediaType.IMAGE_PNG).exchange().expectStatus().isNotFound();
		this.client.head().uri("/api/v1/stats").accept(MediaType.IMAGE_PNG).exchange().expectStatus().isNotFound();
	}

}
