package dev.catalog.cache;

import java.util.Map;
import java.util.TreeMap;

import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.WriteIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hit answered from the instance's own copy ({@link NearCache}) reads only the generation from
 * Redis, and a copy is given up the moment Redis's generation moves or Redis may have lost data.
 */
@WriteIntegrationTest
class NearCacheIntegrationTests {

	private static final String PAGE = "/api/v1/artifacts?limit=30";

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@Autowired
	RedisSync sync;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(30, 3);
	}

	@Test
	void hitsAfterTheFirstReadOnlyTheGenerationFromRedis() {
		assertThat(cache(PAGE)).isEqualTo("MISS");
		assertThat(cache(PAGE)).as("read from Redis, and copied").isEqualTo("HIT");
		Map<String, Long> before = this.catalog.redisCommands();
		long bytesBefore = this.catalog.redisBytesSent();
		for (int i = 0; i < 5; i++) {
			assertThat(cache(PAGE)).isEqualTo("HIT");
		}
		long sentBytes = this.catalog.redisBytesSent() - bytesBefore; // with the INFO of bytesBefore
		assertThat(sent(before)).as("five hits from the copy: one MGET of generation and WAL position each")
			.isEqualTo(Map.of("mget", 5L));
		// the entry (this page in three codings) is kilobytes; a generation and a position are a few dozen bytes
		assertThat(sentBytes).as("bytes Redis sent for five hits, besides the INFO that measured them")
			.isLessThan(5 * 100 + 2 * infoBytes());
	}

	@Test
	void aWriteMovesTheGenerationAndTheCopyIsReadAgainFromRedis() {
		String name = name(PAGE);
		cache(PAGE);
		assertThat(cache(PAGE)).isEqualTo("HIT");
		String id = this.http.get().uri(PAGE).exchange().expectBody(String.class).returnResult().getResponseBody()
			.replaceAll("(?s)^.*?\"id\":\"([^\"]+)\".*$", "$1");

		TestClients.writer(this.http)
			.patch()
			.uri("/api/v1/artifacts/{id}", id)
			.header("Content-Type", "application/merge-patch+json")
			.bodyValue("{\"name\":\"renamed-near\"}")
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(name(PAGE)).isNotEqualTo(name).isEqualTo("renamed-near");
	}

	@Test
	void aCopyIsNotUsedOnceRedisMayHaveMissedChanges() {
		cache(PAGE);
		cache(PAGE);
		this.sync.redisMayHaveMissedChanges();
		long bytesBefore = this.catalog.redisBytesSent();
		// HIT, or MISS where the fold-in that follows the mark advanced the generation; either way
		// the entry is read from Redis (an older generation's entry is read too), not the copy
		assertThat(cache(PAGE)).isIn("HIT", "MISS");
		long sentBytes = this.catalog.redisBytesSent() - bytesBefore; // with the INFO of bytesBefore
		assertThat(sentBytes).as("bytes Redis sent for the read: the entry, kilobytes in three codings")
			.isGreaterThan(infoBytes() + 5_000);
	}

	private String cache(String path) {
		return this.http.get().uri(path).exchange().expectStatus().isOk().returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Cache");
	}

	private String name(String path) {
		String body = this.http.get().uri(path).exchange().expectBody(String.class).returnResult().getResponseBody();
		return body.replaceAll("(?s)^.*?\"name\":\"([^\"]+)\".*$", "$1");
	}

	/** What one INFO costs in sent bytes, measured: the test's own reads are not the service's. */
	private long infoBytes() {
		long first = this.catalog.redisBytesSent();
		return this.catalog.redisBytesSent() - first;
	}

	/** Commands Redis ran since {@code before}, by name, those it did not run left out. */
	private Map<String, Long> sent(Map<String, Long> before) {
		Map<String, Long> sent = new TreeMap<>();
		this.catalog.redisCommands().forEach((command, calls) -> {
			long delta = calls - before.getOrDefault(command, 0L);
			if (delta > 0) {
				sent.put(command, delta);
			}
		});
		return sent;
	}

}
