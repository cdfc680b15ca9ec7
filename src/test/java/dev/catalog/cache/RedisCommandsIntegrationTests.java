package dev.catalog.cache;

import java.time.Duration;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache's commands on the shared Redis connection: cancelled reads leave it in step, and a
 * Redis that stops answering costs a read one command timeout, not more.
 */
@CatalogIntegrationTest
@TestPropertySource(properties = { "catalog.redis.command-timeout=2s", "catalog.cache.circuit-breaker-wait=1s" })
class RedisCommandsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Autowired
	CacheStore store;

	@Autowired
	RedisConnection redis;

	@Autowired
	CacheProperties properties;

	@Autowired
	CircuitBreaker redisCircuitBreaker;

	@Autowired
	MeterRegistry registry;

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void reset() {
		this.catalog.reset();
		this.catalog.seed(20, 3);
		this.redisCircuitBreaker.reset();
	}

	/**
	 * Clients that go away cancel their reads while Redis is still sending a large entry: the
	 * cancelled replies are read and dropped, and the commands after them get their own replies.
	 */
	@Test
	void cancelledReadsOfALargeEntryLeaveTheConnectionInStep() {
		long generation = this.store.lookup("large").block(TIMEOUT).generation();
		// 4 MiB: the reply reaches the client over many socket reads
		CacheEntry entry = CacheEntry.create(generation, System.currentTimeMillis(), this.properties, 1,
				Encoded.identity(new byte[4 << 20]));
		assertThat(this.store.store("large", entry, 60_000).block(TIMEOUT)).isTrue();
		double errorsBefore = redisErrors();
		for (int i = 0; i < 10; i++) {
			this.store.lookup("large").subscribe().dispose();
			StepVerifier.create(this.store.probe()).expectComplete().verify(Duration.ofSeconds(10));
		}
		StepVerifier.create(this.store.lookup("large"))
			.assertNext((lookup) -> assertThat(lookup.current().body(ContentCoding.IDENTITY).remaining())
				.isEqualTo(4 << 20))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(redisErrors() - errorsBefore).isZero();
	}

	/**
	 * Redis paused (it accepts connections and commands but answers nothing) for longer than
	 * the command timeout: a read that waited for it would come back a HIT after the pause; it
	 * comes back from PostgreSQL instead, and caching resumes by itself once Redis answers.
	 */
	@Test
	void aRedisThatStopsAnsweringCostsAReadTheCommandTimeoutNotTheOutage() {
		this.http.get().uri("/api/v1/artifacts?limit=5").exchange().expectStatus().isOk();
		this.http.get()
			.uri("/api/v1/artifacts?limit=5")
			.exchange()
			.expectHeader()
			.valueEquals("X-Cache", "HIT");
		double errorsBefore = redisErrors();
		this.redis.execute((commands) -> commands.clientPause(8_000)).block(TIMEOUT);
		try {
			this.http.mutate()
				.responseTimeout(Duration.ofSeconds(30))
				.build()
				.get()
				.uri("/api/v1/artifacts?limit=5")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("X-Cache", "BYPASS");
			assertThat(redisErrors() - errorsBefore).isGreaterThanOrEqualTo(1);
		}
		finally {
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> this.http.get()
					.uri("/api/v1/artifacts?limit=5")
					.exchange()
					.expectHeader()
					.valueEquals("X-Cache", "HIT"));
		}
	}

	private double redisErrors() {
		return this.registry.get("catalog.cache.redis.errors").counter().count();
	}

}
