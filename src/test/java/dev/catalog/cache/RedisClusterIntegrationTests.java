package dev.catalog.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.SeedProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the service on a real Redis Cluster (three primaries, three replicas, from
 * Debian's {@code redis-server}), configured by {@code spring.data.redis.cluster.nodes} alone:
 * no embedded Redis starts beside it, a write is seen at once by the other instance, a hit is
 * one command, and a primary killed with SIGKILL costs no failed read while the cluster fails
 * over, after which hits resume and a write made during the failover is not hidden.
 */
@ExtendWith(TestServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static RedisProcesses cluster;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void startClusterAndTwoInstances() {
		cluster = RedisProcesses.cluster();
		a = start();
		b = start();
		DatabaseClient database = a.getBean(DatabaseClient.class);
		long artifacts = database.sql("SELECT count(*) AS n FROM artifacts")
			.map((row) -> row.get("n", Long.class))
			.one()
			.block(TIMEOUT);
		if (artifacts < 50) {
			a.getBean(CatalogSeeder.class).seed(new SeedProperties(120, 6, 2.0, 0.5)).block(TIMEOUT);
			a.getBean(CatalogGenerations.class).committed().block(TIMEOUT);
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run("--server.port=0", "--spring.data.redis.cluster.nodes=" + cluster.nodes(),
					"--catalog.redis.command-timeout=1s", "--catalog.cache.circuit-breaker-wait=1s",
					"--catalog.cache.warm-up=false");
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { b, a }) {
			if (context != null) {
				context.close();
			}
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void aClusterSettingAloneStartsNoEmbeddedRedisAndTalksToTheCluster() {
		assertThat(a.getEnvironment().getProperty("spring.data.redis.url")).isNull();
		assertThat(a.getBean(RedisConnection.class).cluster()).isTrue();
		String page = "/api/v1/artifacts?limit=3";
		assertThat(get(a, page).cache()).isIn("MISS", "BYPASS");
		await().atMost(TIMEOUT).until(() -> "HIT".equals(get(b, page).cache()));
	}

	@Test
	@Order(2)
	void aWriteThroughOneInstanceIsSeenAtOnceThroughTheOther() {
		String id = firstId();
		List<String> paths = List.of("/api/v1/artifacts/" + id, "/api/v1/artifacts?limit=10", "/api/v1/stats");
		paths.forEach((path) -> get(b, path));
		paths.forEach((path) -> assertThat(get(b, path).cache()).as(path).isEqualTo("HIT"));

		rename(a, id, "renamed-on-a-cluster");

		Answer detail = get(b, "/api/v1/artifacts/" + id);
		assertThat(detail.cache()).isEqualTo("MISS");
		assertThat(detail.json().get("name").asString()).isEqualTo("renamed-on-a-cluster");
		assertThat(get(b, "/api/v1/artifacts?limit=10").json().get("items").get(0).get("name").asString())
			.isEqualTo("renamed-on-a-cluster");
	}

	@Test
	@Order(3)
	void aHitIsOneMgetOnOneSlotAndTheGenerationShardsSpreadOverThePrimaries() {
		String page = "/api/v1/artifacts?limit=4";
		get(a, page);
		assertThat(get(a, page).cache()).isEqualTo("HIT");
		long mgets = cluster.calls("mget");
		long scripts = cluster.calls("evalsha") + cluster.calls("eval");
		for (int i = 0; i < 10; i++) {
			assertThat(get(a, page).cache()).isEqualTo("HIT");
		}
		assertThat(cluster.calls("mget") - mgets).isEqualTo(10);
		assertThat(cluster.calls("evalsha") + cluster.calls("eval") - scripts).isZero();

		CacheStore store = a.getBean(CacheStore.class);
		Map<Integer, Integer> shardsPerPrimary = new TreeMap<>();
		IntStream.range(0, 16)
			.forEach((shard) -> shardsPerPrimary.merge(cluster.primaryOf(store.generationKey(shard)), 1, Integer::sum));
		System.out.println("Generation shards per cluster primary (port=shards): " + shardsPerPrimary);
		assertThat(shardsPerPrimary).hasSize(3);
	}

	@Test
	@Order(4)
	void aPrimaryKilledUnderLoadCostsNoFailedReadAndHitsResumeWithTheWriteMadeDuringFailover() {
		String id = firstId();
		String detailPath = "/api/v1/artifacts/" + id;
		List<String> paths = List.of(detailPath, "/api/v1/artifacts?limit=10", "/api/v1/artifacts?limit=5",
				"/api/v1/stats");
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			paths.forEach((path) -> get(instance, path));
			await().atMost(TIMEOUT).until(() -> "HIT".equals(get(instance, detailPath).cache()));
		}
		int victim = cluster.primaryOf(a.getBean(CacheStore.class).entryKey("artifact:" + id));

		AtomicBoolean loading = new AtomicBoolean(true);
		AtomicInteger requests = new AtomicInteger();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		Thread load = new Thread(() -> {
			while (loading.get()) {
				Flux.range(0, 16).flatMap((i) -> getAsync((i % 2 == 0) ? a : b, paths.get(i % paths.size())))
					.doOnNext((answer) -> {
						requests.incrementAndGet();
						if (answer.status() != 200) {
							failures.add(answer.status() + " " + answer.body());
						}
					})
					.onErrorResume((ex) -> {
						failures.add(ex.toString());
						return Mono.empty();
					})
					.blockLast(TIMEOUT);
			}
		});
		load.start();
		long killed = System.nanoTime();
		cluster.kill(victim);
		rename(a, id, "renamed-during-failover");
		long written = System.nanoTime();
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			assertThat(get(instance, detailPath).json().get("name").asString()).isEqualTo("renamed-during-failover");
		}
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				Answer answer = get(instance, detailPath);
				assertThat(answer.json().get("name").asString()).isEqualTo("renamed-during-failover");
				assertThat(answer.cache()).isEqualTo("HIT");
			});
		}
		long resumed = System.nanoTime();
		loading.set(false);
		try {
			load.join(TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		System.out.printf("Cluster failover: primary %d killed; write committed %d ms later; hits with the write "
				+ "resumed on both instances %d ms after the kill; %d reads under load, %d failed%n", victim,
				(written - killed) / 1_000_000, (resumed - killed) / 1_000_000, requests.get(), failures.size());
		assertThat(failures).isEmpty();
		assertThat(requests.get()).isGreaterThan(0);
		for (String path : paths) {
			for (ConfigurableApplicationContext instance : List.of(a, b)) {
				assertThat(get(instance, path).status()).isEqualTo(200);
			}
		}
	}

	private static String firstId() {
		return get(a, "/api/v1/artifacts?limit=1").json().get("items").get(0).get("id").asString();
	}

	/** A write as the write API makes it: commit, then tell the cache, then answer. */
	private static void rename(ConfigurableApplicationContext instance, String id, String name) {
		instance.getBean(DatabaseClient.class)
			.sql("UPDATE artifacts SET name = :name, updated_at = now() WHERE id = :id")
			.bind("name", name)
			.bind("id", UUID.fromString(id))
			.then()
			.then(instance.getBean(dev.catalog.db.CatalogChanges.class).committed())
			.block(TIMEOUT);
	}

	record Answer(int status, String body, String cache) {

		JsonNode json() {
			return json.readTree(this.body);
		}

	}

	private static Answer get(ConfigurableApplicationContext instance, String path) {
		return getAsync(instance, path).block(TIMEOUT);
	}

	private static Mono<Answer> getAsync(ConfigurableApplicationContext instance, String path) {
		int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return WebClient.create("http://localhost:" + port)
			.get()
			.uri(path)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), body,
						response.headers().asHttpHeaders().getFirst("X-Cache"))));
	}

}
