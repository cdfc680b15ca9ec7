package dev.catalog.cache;

import java.time.Duration;
import java.util.List;

import dev.catalog.CatalogApplication;
import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import dev.catalog.web.SelfRequests;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code catalog.cache.warm-up}: an instance of the service started on a seeded catalog and an
 * empty cache (its own application context, on the test's servers) either has every
 * registered {@link WarmUpPath} cached when it starts serving, or nothing.
 */
@CatalogIntegrationTest
class CacheWarmUpIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Autowired
	TestCatalog catalog;

	@Autowired
	RedisConnection redis;

	@BeforeEach
	void seedAndEmptyTheCache() {
		this.catalog.reset();
		this.catalog.seed(30, 3);
	}

	@AfterEach
	void emptyTheCache() {
		// the instances below cache with their own windows; no later test may read those entries
		this.catalog.reset();
	}

	@Test
	void warmUpCachesEveryRegisteredPathBeforeTheInstanceServes() {
		try (ConfigurableApplicationContext instance = start(true, "--catalog.cache.warm-up-requests=0")) {
			List<String> paths = warmUpPaths(instance);
			assertThat(paths).contains("/api/v1/artifacts", "/api/v1/collections", "/api/v1/stats");
			assertThat(entryKeys()).hasSize(paths.size());
			WebTestClient http = http(instance);
			for (String path : paths) {
				http.get().uri(path).exchange().expectStatus().isOk().expectHeader().valueEquals("X-Cache", "HIT");
			}
		}
	}

	@Test
	void theInstanceSendsItselfTheWarmUpRequestsAsHitsBeforeItServes() {
		try (ConfigurableApplicationContext instance = start(true, "--catalog.cache.warm-up-requests=600")) {
			MeterRegistry registry = instance.getBean(MeterRegistry.class);
			double hits = registry.get("catalog.cache.requests").tag("result", "hit").counter().count();
			double loads = registry.get("catalog.cache.requests").tag("result", "miss").counter().count();
			assertThat(hits).as("hits served before run() returned").isGreaterThanOrEqualTo(600);
			assertThat(loads).as("loads: once per warm-up path, never for the repeated requests")
				.isEqualTo(warmUpPaths(instance).size());
		}
	}

	@Test
	void theWarmUpRequestsStopOnceTheJitHasGoneQuietLongBeforeTheirMost() {
		long started = System.nanoTime();
		try (ConfigurableApplicationContext instance = start(true, "--catalog.cache.warm-up-requests=100000000",
				"--catalog.cache.warm-up-requests-wait=120s")) {
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			double hits = instance.getBean(MeterRegistry.class)
				.get("catalog.cache.requests")
				.tag("result", "hit")
				.counter()
				.count();
			// two rounds at least (the first of 500), then quiet: this JVM has compiled the hit path
			assertThat(hits).isGreaterThan(1_000).isLessThan(100_000_000);
			assertThat(took).as("start-up, ended by the JIT going quiet, not by the wait").isLessThan(Duration.ofSeconds(110));
		}
	}

	@Test
	void rateLimitsLetTheWarmUpThroughButNotAnyoneElse() {
		try (ConfigurableApplicationContext instance = start(true, "--catalog.cache.warm-up-requests=300",
				"--catalog.rate-limit.enabled=true", "--catalog.rate-limit.reads.rate=1",
				"--catalog.rate-limit.reads.burst=2")) {
			MeterRegistry registry = instance.getBean(MeterRegistry.class);
			assertThat(registry.get("catalog.cache.requests").tag("result", "hit").counter().count())
				.isGreaterThanOrEqualTo(300);
			assertThat(registry.get("catalog.rate-limit.refused").counter().count()).isZero();
			WebTestClient http = http(instance);
			http.get().uri("/api/v1/stats").exchange().expectStatus().isOk();
			http.get().uri("/api/v1/stats").exchange().expectStatus().isOk();
			http.get().uri("/api/v1/stats").exchange().expectStatus().isEqualTo(429);
			http.get()
				.uri("/api/v1/stats")
				.header(SelfRequests.HEADER, "a guess")
				.exchange()
				.expectStatus()
				.isEqualTo(429);
		}
	}

	@Test
	void nothingIsCachedAtStartWhenWarmUpIsOff() {
		try (ConfigurableApplicationContext instance = start(false)) {
			assertThat(entryKeys()).isEmpty();
			WebTestClient http = http(instance);
			for (String path : warmUpPaths(instance)) {
				http.get().uri(path).exchange().expectStatus().isOk().expectHeader().valueEquals("X-Cache", "MISS");
			}
		}
	}

	/**
	 * Start-up waits for the whole warm-up; the timeouts are generous because the machine
	 * running the tests may be busy, and a warm-up read that timed out would not be cached.
	 */
	private static ConfigurableApplicationContext start(boolean warmUp, String... more) {
		List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0", "--catalog.cache.warm-up=" + warmUp,
				"--catalog.cache.warm-up-wait=60s", "--catalog.cache.fresh=60s", "--catalog.cache.load-timeout=30s",
				"--catalog.redis.command-timeout=5s"));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(CatalogApplication.class).profiles("test").run(arguments.toArray(String[]::new));
	}

	private static List<String> warmUpPaths(ConfigurableApplicationContext instance) {
		return instance.getBeanProvider(WarmUpPath.class).orderedStream().map(WarmUpPath::path).toList();
	}

	private static WebTestClient http(ConfigurableApplicationContext instance) {
		int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(TIMEOUT).build();
	}

	private List<String> entryKeys() {
		return this.redis.execute((commands) -> commands.keys("catalog:entry:*")).block(TIMEOUT);
	}

}
