package dev.catalog.stats;

import java.util.Map;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.Statements;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class StatsIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void reset() {
		this.catalog.reset();
	}

	@Test
	void statsCountEverythingInOneStatement() {
		this.catalog.seed(500, 20);
		EntityExchangeResult<Map<String, Object>> result = stats();

		assertThat(Statements.of(result)).isEqualTo(1);
		assertThat(result.getResponseBody()).containsEntry("artifacts", 500)
			.containsEntry("collections", 20)
			.containsEntry("memberships", (int) this.catalog.count("SELECT count(*) FROM collection_artifacts"));
		Map<String, Object> byType = (Map<String, Object>) result.getResponseBody().get("artifactsByType");
		assertThat(byType).containsOnlyKeys("skill", "command", "agent", "mcp", "hook");
		assertThat(byType.values().stream().mapToInt((n) -> ((Number) n).intValue()).sum()).isEqualTo(500);
	}

	@Test
	void anEmptyCatalogHasZeroOfEveryType() {
		assertThat(stats().getResponseBody()).containsEntry("artifacts", 0)
			.containsEntry("memberships", 0)
			.containsEntry("artifactsByType", Map.of("skill", 0, "command", 0, "agent", 0, "mcp", 0, "hook", 0));
	}

	private EntityExchangeResult<Map<String, Object>> stats() {
		return this.http.get()
			.uri("/api/v1/stats")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult();
	}

}
