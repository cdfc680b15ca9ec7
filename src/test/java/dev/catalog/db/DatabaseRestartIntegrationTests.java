package dev.catalog.db;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import dev.catalog.embedded.EmbeddedServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL restarts under a running instance: every pooled connection is dead, and still no
 * request fails for it, with the production pool settings (no acquire retry).
 */
@CatalogIntegrationTest
@TestPropertySource(properties = { "catalog.cache.enabled=false", "spring.r2dbc.pool.acquire-retry=0",
		"spring.r2dbc.pool.initial-size=6" })
class DatabaseRestartIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@Test
	void everyRequestAfterPostgresRestartedIsAnswered() {
		assumeTrue(EmbeddedServers.runningPostgres().isPresent(), "needs the embedded PostgreSQL to restart it");
		this.catalog.reset();
		this.catalog.seed(20, 3);
		this.http.get().uri("/api/v1/artifacts?limit=5").exchange().expectStatus().isOk();
		EmbeddedServers.stopPostgres();
		EmbeddedServers.restartPostgres();
		for (int i = 0; i < 20; i++) {
			this.http.get().uri("/api/v1/artifacts?limit=5").exchange().expectStatus().isOk();
		}
	}

}
