package dev.catalog.cache;

import java.util.List;

import dev.catalog.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service on a Sentinel-watched primary and replica (Debian's
 * {@code redis-server}), configured by {@code spring.data.redis.sentinel.*} alone: a write is
 * seen at once by the other instance, and the primary killed with SIGKILL costs no failed read
 * while the sentinel promotes the replica, after which hits resume and a write made during the
 * failover is not hidden.
 */
@ExtendWith(TestServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIntegrationTests {

	private static RedisProcesses redis;

	private static FailoverScenario instances;

	@BeforeAll
	static void startSentinelAndTwoInstances() {
		redis = RedisProcesses.sentinel();
		instances = new FailoverScenario("--spring.data.redis.sentinel.master=main",
				"--spring.data.redis.sentinel.nodes=127.0.0.1:" + redis.ports().get(2));
	}

	@AfterAll
	static void stop() {
		if (instances != null) {
			instances.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	@Order(1)
	void aWriteThroughOneInstanceIsSeenAtOnceThroughTheOther() {
		assertThat(instances.a.getEnvironment().getProperty("spring.data.redis.url")).isNull();
		String id = instances.firstId();
		String path = "/api/v1/artifacts/" + id;
		FailoverScenario.get(instances.b, path);
		assertThat(FailoverScenario.get(instances.b, path).cache()).isEqualTo("HIT");
		assertThat(RedisProcesses.cli(redis.ports().get(0), "dbsize").trim()).isNotEqualTo("0");

		assertThat(instances.a.getBean(RedisSync.class).losses()).as("sentinel lookups are no losses").isZero();
		FailoverScenario.rename(instances.a, id, "renamed-with-a-sentinel");

		FailoverScenario.Answer detail = FailoverScenario.get(instances.b, path);
		assertThat(detail.cache()).isEqualTo("MISS");
		assertThat(detail.json().get("name").asString()).isEqualTo("renamed-with-a-sentinel");
	}

	@Test
	@Order(2)
	void thePrimaryKilledUnderLoadCostsNoFailedReadAndHitsResumeOnThePromotedReplica() {
		int primary = redis.ports().get(0);
		int replica = redis.ports().get(1);
		long losses = instances.b.getBean(RedisSync.class).losses();
		FailoverScenario.Outcome outcome = instances.killPrimaryUnderLoad(() -> redis.kill(primary),
				instances.firstId());
		System.out.printf("Sentinel failover: primary %d killed (SIGKILL); write committed %d ms later; hits with "
				+ "the write resumed on both instances %d ms after the kill; %d reads under load, %d failed%n",
				primary, outcome.writtenAfterMillis(), outcome.hitsResumedAfterMillis(), outcome.reads(),
				outcome.failures().size());
		assertThat(outcome.failures()).isEmpty();
		// losing the primary (not the sentinel lookups' own connections) counts as a possible
		// loss of acknowledged writes: the fold-in after it advanced the generation
		assertThat(instances.b.getBean(RedisSync.class).losses()).isGreaterThan(losses);
		assertThat(outcome.reads()).isPositive();
		assertThat(RedisProcesses.cli(replica, "role")).startsWith("master");
		assertThat(List.of(RedisProcesses.cli(replica, "dbsize").trim())).doesNotContain("0");
	}

}
