package dev.catalog.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The multi-process deployment of {@code deploy/local.sh}, started once for the class: three
 * service JVMs from the packaged jar behind nginx, a Redis Cluster of three primaries and three
 * replicas, a PostgreSQL primary with a streaming replica that the instances read from
 * ({@code catalog.db.replicas}). Every failure is injected for real (SIGKILL of a JVM or a Redis
 * primary, the replica's replay paused, the replica stopped), and each test prints its request
 * counts and failures.
 * Skipped, saying why, where nginx, redis-server or postgresql are not installed ({@code .ci/run}
 * installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]*)\"");

	private static Deployment deployment;

	private static String id;

	@BeforeAll
	static void up() {
		deployment = Deployment.up();
		String page = deployment.get(deployment.nginxPort(), "/api/v1/artifacts?limit=1").body();
		Matcher matcher = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(page);
		assertThat(matcher.find()).as(page).isTrue();
		id = matcher.group(1);
	}

	@AfterAll
	static void down() {
		if (deployment != null) {
			deployment.close();
		}
	}

	@Test
	@Order(1)
	void aWriteThroughTheBalancerIsReadBackThroughEveryInstanceDirectly() {
		List<String> paths = List.of(detail(), "/api/v1/artifacts?limit=10");
		for (int port : deployment.instancePorts()) {
			for (String path : paths) {
				await().atMost(TIMEOUT).until(() -> "HIT".equals(deployment.get(port, path).cache()));
			}
		}

		Deployment.Answer written = deployment.patch(deployment.nginxPort(), detail(), "{\"name\":\"renamed-through-nginx\"}");
		assertThat(written.status()).as(written.body()).isEqualTo(200);
		assertThat(written.upstream()).startsWith("nginx");

		for (int port : deployment.instancePorts()) {
			for (String path : paths) {
				Deployment.Answer answer = deployment.get(port, path);
				System.out.printf("After the write through nginx, instance :%d answers %s with %s (X-Cache %s)%n", port,
						path, name(answer), answer.cache());
				assertThat(answer.status()).isEqualTo(200);
				assertThat(name(answer)).as("instance :%d %s", port, path).isEqualTo("renamed-through-nginx");
			}
		}
	}

	@Test
	@Order(2)
	void theReplicaStreamsTheWritesMadeThroughTheBalancer() {
		assertThat(deployment.psql(deployment.replicaPort(), "SELECT pg_is_in_recovery()")).isEqualTo("t");
		assertThat(deployment.psql(deployment.primaryPort(),
				"SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"))
			.isEqualTo("1");
		await().atMost(TIMEOUT)
			.until(() -> deployment.psql(deployment.replicaPort(), "SELECT name FROM artifacts WHERE id = '" + id + "'"),
					"renamed-through-nginx"::equals);
	}

	@Test
	@Order(3)
	void aReplicaWithReplayPausedLetsNoStalePageBeCachedAfterAWrite() {
		for (int port : deployment.instancePorts()) {
			await().atMost(TIMEOUT).until(() -> "HIT".equals(deployment.get(port, detail()).cache()));
		}
		deployment.psql(deployment.replicaPort(), "SELECT pg_wal_replay_pause()");
		try {
			Deployment.Answer written = deployment.patch(deployment.nginxPort(), detail(),
					"{\"name\":\"renamed-while-replay-paused\"}");
			assertThat(written.status()).as(written.body()).isEqualTo(200);
			// the replica really is behind: it still has the old name
			assertThat(deployment.psql(deployment.replicaPort(), "SELECT name FROM artifacts WHERE id = '" + id + "'"))
				.isEqualTo("renamed-through-nginx");
			for (int port : deployment.instancePorts()) {
				for (int read = 1; read <= 3; read++) {
					Deployment.Answer answer = deployment.get(port, detail());
					System.out.printf("Replay paused: instance :%d read %d of the written artifact: %s (X-Cache %s)%n",
							port, read, name(answer), answer.cache());
					assertThat(name(answer)).as("instance :%d read %d", port, read)
						.isEqualTo("renamed-while-replay-paused");
				}
			}
		}
		finally {
			deployment.psql(deployment.replicaPort(), "SELECT pg_wal_replay_resume()");
		}
		await().atMost(TIMEOUT)
			.until(() -> deployment.psql(deployment.replicaPort(), "SELECT name FROM artifacts WHERE id = '" + id + "'"),
					"renamed-while-replay-paused"::equals);
	}

	@Test
	@Order(4)
	void theReplicaStoppedSendsReadsToThePrimary() {
		// rows read on each server (sequential and index scans): 20 pages of 101 or more artifacts
		// read at least 2,020; the replica checks, the change feed's polls and the like read a few
		String rowsRead = "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'catalog'";
		long replicaBefore = Long.parseLong(deployment.psql(deployment.replicaPort(), rowsRead));
		long primaryBefore = Long.parseLong(deployment.psql(deployment.primaryPort(), rowsRead));
		List<String> failures = misses(101, 20);
		// a backend publishes its statistics at most once a second, an idle one within 10 s
		long onReplica = await().atMost(Duration.ofSeconds(20))
			.until(() -> Long.parseLong(deployment.psql(deployment.replicaPort(), rowsRead)) - replicaBefore,
					(rows) -> rows >= 2020);
		long onPrimary = Long.parseLong(deployment.psql(deployment.primaryPort(), rowsRead)) - primaryBefore;
		System.out.printf("20 misses through nginx with the replica up: rows read %d on the replica, %d on the primary; "
				+ "%d failed %s%n", onReplica, onPrimary, failures.size(), failures);
		assertThat(failures).isEmpty();
		assertThat(onPrimary).as("rows read on the primary while the replica took the misses").isLessThan(onReplica);

		deployment.stopReplica();
		primaryBefore = Long.parseLong(deployment.psql(deployment.primaryPort(), rowsRead));
		long started = System.nanoTime();
		failures = misses(121, 20);
		long tookMillis = elapsedMillis(started);
		long primaryBeforeStop = primaryBefore;
		onPrimary = await().atMost(Duration.ofSeconds(20))
			.until(() -> Long.parseLong(deployment.psql(deployment.primaryPort(), rowsRead)) - primaryBeforeStop,
					(rows) -> rows >= 2020);
		System.out.printf("20 misses through nginx with the replica stopped (pg_ctl stop -m immediate): %d ms, rows read "
				+ "%d on the primary; %d failed %s%n", tookMillis, onPrimary, failures.size(), failures);
		assertThat(failures).isEmpty();

		deployment.script("up");
		await().atMost(TIMEOUT).until(() -> deployment.psql(deployment.primaryPort(),
				"SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"), "1"::equals);
	}

	@Test
	@Order(5)
	void aRedisPrimaryKilledUnderLoadLeavesNoReadUnansweredAndHitsResumeAfterFailover() {
		for (int port : deployment.instancePorts()) {
			await().atMost(TIMEOUT).until(() -> "HIT".equals(deployment.get(port, detail()).cache()));
		}
		int victim = primaryHolding(id);
		Load load = Load.start(4, List.of(detail(), "/api/v1/artifacts?limit=10", "/api/v1/stats"));
		sleep(Duration.ofSeconds(2));

		long killed = System.nanoTime();
		Deployment.kill(deployment.redisPid(victim));
		Deployment.Answer written = deployment.patch(deployment.nginxPort(), detail(),
				"{\"name\":\"renamed-during-redis-failover\"}");
		long writtenAfter = elapsedMillis(killed);
		assertThat(written.status()).as(written.body()).isEqualTo(200);
		Map<Integer, Long> hitsAfter = new TreeMap<>();
		for (int port : deployment.instancePorts()) {
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				Deployment.Answer answer = deployment.get(port, detail());
				assertThat(name(answer)).isEqualTo("renamed-during-redis-failover");
				assertThat(answer.cache()).isEqualTo("HIT");
			});
			hitsAfter.put(port, elapsedMillis(killed));
		}
		sleep(Duration.ofSeconds(1));
		Load.Outcome outcome = load.stop();
		System.out.printf("Redis primary :%d killed (SIGKILL) under load through nginx: write committed %d ms after "
				+ "the kill; hits with that write back on each instance (port=ms after the kill) %s; %s%n", victim,
				writtenAfter, hitsAfter, outcome);
		assertThat(outcome.failures()).isEmpty();
		assertThat(outcome.requests()).isPositive();
	}

	@Test
	@Order(6)
	void anInstanceKilledUnderLoadCostsNoFailedRequest() {
		Load load = Load.start(4, List.of(detail(), "/api/v1/artifacts?limit=10", "/api/v1/artifacts?limit=3",
				"/api/v1/stats", "/api/v1/collections"));
		sleep(Duration.ofSeconds(3));
		int before = load.requests();
		long pid = deployment.instancePid(2);
		Deployment.kill(pid);
		sleep(Duration.ofSeconds(6));
		Load.Outcome outcome = load.stop();
		System.out.printf("Instance 2 (pid %d) killed (SIGKILL) under load through nginx: %d requests before the "
				+ "kill, %d after; %s%n", pid, before, outcome.requests() - before, outcome);
		assertThat(outcome.failures()).isEmpty();
		assertThat(outcome.requests() - before).isPositive();
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
	}

	/** {@code count} list pages no instance has cached (limits from {@code firstLimit}), through nginx. */
	private static List<String> misses(int firstLimit, int count) {
		List<String> failures = new ArrayList<>();
		for (int limit = firstLimit; limit < firstLimit + count; limit++) {
			Deployment.Answer answer = deployment.get(deployment.nginxPort(), "/api/v1/artifacts?limit=" + limit);
			if (answer.status() != 200 || !"MISS".equals(answer.cache())) {
				failures.add(answer.status() + " " + answer.cache() + " " + answer.body());
			}
		}
		return failures;
	}

	/** The cluster primary whose keys include the cached detail of the artifact. */
	private static int primaryHolding(String artifact) {
		for (int port : deployment.redisPorts()) {
			if (deployment.redis(port, "role").startsWith("master")
					&& !deployment.redis(port, "--scan", "--pattern", "*" + artifact + "*").isBlank()) {
				return port;
			}
		}
		throw new IllegalStateException("no primary holds a key of " + artifact);
	}

	private static String detail() {
		return "/api/v1/artifacts/" + id;
	}

	private static String name(Deployment.Answer answer) {
		Matcher matcher = NAME.matcher(answer.body());
		return matcher.find() ? matcher.group(1) : answer.status() + " " + answer.body();
	}

	private static long elapsedMillis(long since) {
		return (System.nanoTime() - since) / 1_000_000;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Clients looping GETs through nginx, each request counted, each failure kept. */
	private static final class Load {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger requests = new AtomicInteger();

		private final Map<String, AtomicInteger> cache = new ConcurrentHashMap<>();

		private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

		private final List<Thread> clients = new ArrayList<>();

		record Outcome(int requests, Map<String, Integer> xCache, List<String> failures) {

			@Override
			public String toString() {
				return this.requests + " requests (X-Cache " + this.xCache + "), " + this.failures.size() + " failed"
						+ (this.failures.isEmpty() ? "" : ": " + this.failures.stream().limit(5).toList());
			}

		}

		static Load start(int clients, List<String> paths) {
			Load load = new Load();
			for (int c = 0; c < clients; c++) {
				int client = c;
				Thread thread = new Thread(() -> {
					int i = client;
					while (load.running.get()) {
						String path = paths.get(i++ % paths.size());
						try {
							Deployment.Answer answer = deployment.get(deployment.nginxPort(), path);
							load.cache.computeIfAbsent(String.valueOf(answer.cache()), (k) -> new AtomicInteger())
								.incrementAndGet();
							if (answer.status() != 200) {
								load.failures.add(answer.status() + " " + path + " " + answer.body());
							}
						}
						catch (RuntimeException ex) {
							load.failures.add(path + " " + ex);
						}
						load.requests.incrementAndGet();
					}
				}, "deployment-load-" + c);
				thread.start();
				load.clients.add(thread);
			}
			return load;
		}

		int requests() {
			return this.requests.get();
		}

		Outcome stop() {
			this.running.set(false);
			for (Thread client : this.clients) {
				try {
					client.join(30_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			Map<String, Integer> xCache = new TreeMap<>();
			this.cache.forEach((result, count) -> xCache.put(result, count.get()));
			return new Outcome(this.requests.get(), xCache, List.copyOf(this.failures));
		}

	}

}
