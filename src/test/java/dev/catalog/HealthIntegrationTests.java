package dev.catalog;

import dev.catalog.CatalogIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

@CatalogIntegrationTest
class HealthIntegrationTests {

	@Autowired
	WebTestClient http;

	@Test
	void healthReportsDatabaseAndRedisUp() {
		this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.r2dbc.status").isEqualTo("UP")
			.jsonPath("$.components.redis.status").isEqualTo("UP");
	}

	@Test
	void livenessAndReadinessGroupsAnswer() {
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.r2dbc.status").isEqualTo("UP");
	}

	@Test
	void prometheusServesMetrics() {
		this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> org.assertj.core.api.Assertions.assertThat(body).contains("jvm_memory_used_bytes"));
	}

}
