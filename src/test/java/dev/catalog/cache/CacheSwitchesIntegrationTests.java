package dev.catalog.cache;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code catalog.cache.enabled=false}: every read goes to PostgreSQL, and says so. */
@CatalogIntegrationTest
@TestPropertySource(properties = "catalog.cache.enabled=false")
class CacheSwitchesIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@Autowired
	MeterRegistry registry;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(30, 3);
	}

	@Test
	void disabledCacheSendsEveryReadToPostgresButKeepsEtags() {
		double before = this.registry.get("catalog.db.statements").counter().count();
		String etag = null;
		for (int i = 0; i < 3; i++) {
			var result = this.http.get()
				.uri("/api/v1/artifacts?limit=5")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("X-Cache", "BYPASS")
				.expectHeader()
				.exists("ETag")
				.expectBody()
				.returnResult();
			etag = result.getResponseHeaders().getETag();
		}
		assertThat(this.registry.get("catalog.db.statements").counter().count() - before).isEqualTo(3);
		this.http.get()
			.uri("/api/v1/artifacts?limit=5")
			.header("If-None-Match", etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("X-Cache", "BYPASS");
		Long keys = this.catalog.redisKeys();
		assertThat(keys).isZero();
	}

}
