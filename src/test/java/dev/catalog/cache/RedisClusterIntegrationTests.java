package dev.catalog.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import dev.catalog.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

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

	private static final Duration TIMEOUT = FailoverScenario.TIMEOUT;

	private static RedisProcesses cluster;

	private static FailoverScenario instances;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void startClusterAndTwoInstances() {
		cluster = RedisProcesses.cluster();
		instances = new FailoverScenario("--spring.data.redis.cluster.nodes=" + cluster.nodes());
		a = instances.a;
		b = instances.b;
	}

	@AfterAll
	static void stop() {
		if (instances != null) {
			instances.close();
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
		String id = instances.firstId();
		List<String> paths = List.of("/api/v1/artifacts/" + id, "/api/v1/artifacts?limit=10", "/api/v1/stats");
		paths.forEach((path) -> get(b, path));
		paths.forEach((path) -> assertThat(get(b, path).cache()).as(path).isEqualTo("HIT"));

		FailoverScenario.rename(a, id, "renamed-on-a-cluster");

		FailoverScenario.Answer detail = get(b, "/api/v1/artifacts/" + id);
		assertThat(detail.cache()).isEqualTo("MISS");
		assertThat(detail.json().get("name").asString()).isEqualTo("renamed-on-a-cluster");
		assertThat(get(b, "/api/v1/artifacts?limit=10").json().get("items").get(0).get("name").asString())
			.isEqualTo("renamed-on-a-cluster");
	}

	@Test
	@Order(3)
	void aHitIsOneCommandOnOneSlotAndTheGenerationShardsSpreadOverThePrimaries() {
		String page = "/api/v1/artifacts?limit=4";
		get(a, page);
		long mgets = cluster.calls("mget");
		assertThat(get(a, page).cache()).isEqualTo("HIT");
		assertThat(cluster.calls("mget") - mgets).as("the first hit reads the entry: one MGET on its slot").isEqualTo(1);
		long scripts = cluster.calls("evalsha") + cluster.calls("eval");
		for (int i = 0; i < 10; i++) {
			assertThat(get(a, page).cache()).isEqualTo("HIT");
		}
		// the instance's copy answers the others (NearCache): one MGET each, of the entry's shard's
		// generation and WAL position (a cross-slot MGET would fail on a cluster)
		assertThat(cluster.calls("mget") - mgets).isEqualTo(11);
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
		String id = instances.firstId();
		int victim = cluster.primaryOf(a.getBean(CacheStore.class).entryKey("artifact:" + id));
		FailoverScenario.Outcome outcome = instances.killPrimaryUnderLoad(() -> cluster.kill(victim), id);
		System.out.printf("Cluster failover: primary %d killed (SIGKILL); write committed %d ms later; hits with the "
				+ "write resumed on both instances %d ms after the kill; %d reads under load, %d failed%n", victim,
				outcome.writtenAfterMillis(), outcome.hitsResumedAfterMillis(), outcome.reads(),
				outcome.failures().size());
		assertThat(outcome.failures()).isEmpty();
		assertThat(outcome.reads()).isPositive();
	}

	private static FailoverScenario.Answer get(ConfigurableApplicationContext instance, String path) {
		return FailoverScenario.get(instance, path);
	}

}
