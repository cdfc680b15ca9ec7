package dev.catalog.cache;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
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

	@Autowired
	Environment environment;

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

	/**
	 * An answer that is not stored is compressed into the negotiated coding alone, with the
	 * same ETags as a cached one: a client sees no difference when Redis is out of the way.
	 */
	@Test
	void anAnswerThatBypassesTheCacheIsCompressedIntoTheNegotiatedCodingAlone() {
		WebTestClient raw = CompressionIntegrationTests.raw(this.environment);
		double brBefore = compressions("br");
		double gzipBefore = compressions("gzip");
		var identity = raw.get().uri("/api/v1/artifacts?limit=30").exchange().expectBody(byte[].class).returnResult();
		String etag = identity.getResponseHeaders().getETag();
		var gzip = raw.get()
			.uri("/api/v1/artifacts?limit=30")
			.header(HttpHeaders.ACCEPT_ENCODING, "gzip")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Cache", "BYPASS")
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_ENCODING, "gzip")
			.expectHeader()
			.value(HttpHeaders.VARY, (vary) -> assertThat(vary).contains("Accept-Encoding"))
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag.substring(0, etag.length() - 1) + "-gz\"")
			.expectBody(byte[].class)
			.returnResult();
		assertThat(CompressionIntegrationTests.gunzip(gzip.getResponseBody())).isEqualTo(identity.getResponseBody());
		assertThat(compressions("gzip") - gzipBefore).isOne();
		assertThat(compressions("br") - brBefore).isZero();
		raw.get()
			.uri("/api/v1/artifacts?limit=30")
			.header(HttpHeaders.ACCEPT_ENCODING, "br")
			.header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag.substring(0, etag.length() - 1) + "-br\"");
	}

	private double compressions(String encoding) {
		return this.registry.get("catalog.cache.compressions").tag("encoding", encoding).timer().count();
	}

}
