package dev.catalog.db;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.catalog.CatalogApplication;
import dev.catalog.TestCatalog;
import dev.catalog.TestServers;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.EmbeddedServers;
import dev.catalog.embedded.SeedProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two instances of the service with a real streaming replica of the embedded primary
 * ({@link StreamingReplica}: the low-level backup API, {@code standby.signal}, WAL streamed over a
 * replication slot) in {@code catalog.db.replicas}. Reads the cache loads go to the replica, one
 * statement per page there; a write made through one instance is read through the other from
 * the primary while the replica's replay is paused, and the page stored is the written one;
 * reads return to the replica when replay resumes; a replica lagging past
 * {@code replica-max-lag}, frozen (SIGSTOP) or stopped (SIGQUIT, {@code pg_ctl stop -m
 * immediate}) is skipped and reads answer from the primary. Statements are counted per side:
 * {@code Server-Timing} counts both, {@code catalog.db.replica.statements} the replica's.
 */
@ExtendWith(TestServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String TOKEN = "replica-tests-token";

	private static final String PREFIX = "replica-tests:";

	/** The replica gets half of it; generous, since counts must not be spoilt by a slow replica on a busy machine. */
	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(8);

	/** Long enough that the paused-replay test reads before the checks set the replica aside. */
	private static final Duration MAX_LAG = Duration.ofSeconds(5);

	private static final Pattern SERVER_TIMING = Pattern.compile("desc=\"(\\d+) statements?\"");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static StreamingReplica replica;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void startAReplicaAndTwoInstances() throws Exception {
		assumeTrue(System.getProperty("spring.r2dbc.url") == null,
				"needs the embedded PostgreSQL's binaries and data directory (not a configured server)");
		// the first instance starts the JVM's embedded primary if no test class did yet; its
		// replica is not up yet, so its checks find it down until it is
		int replicaPort = -1;
		ConfigurableApplicationContext first = start("r2dbc:postgresql://localhost:1/postgres");
		try {
			int primary = EmbeddedServers.runningPostgres().orElseThrow().port();
			replica = StreamingReplica.of(primary);
			replicaPort = replica.port();
		}
		finally {
			first.close();
		}
		a = start(replica.r2dbcUrl());
		b = start(replica.r2dbcUrl());
		a.getBean(DatabaseClient.class).sql(TestCatalog.EMPTY_CATALOG).then().block(TIMEOUT);
		a.getBean(CatalogSeeder.class).seed(new SeedProperties(60, 5, 2.0, 0.5)).block(TIMEOUT);
		// seeded behind the write API's back: told to the cache as a write would (with its WAL position)
		a.getBean(CatalogChanges.class)
			.committed(lsn(replica.onPrimary("SELECT pg_current_wal_insert_lsn()")))
			.block(TIMEOUT);
		awaitReplicaUsable(a);
		awaitReplicaUsable(b);
		awaitReplayed();
		assertThat(replicaPort).isPositive();
	}

	private static ConfigurableApplicationContext start(String replicaUrl) {
		return new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run("--server.port=0", "--catalog.api-tokens=" + TOKEN, "--catalog.db.replicas=" + replicaUrl,
					"--catalog.db.replica-check-interval=200ms", "--catalog.db.replica-max-lag=" + MAX_LAG.toMillis() + "ms",
					"--catalog.cache.key-prefix=" + PREFIX, "--catalog.cache.load-timeout=" + LOAD_TIMEOUT.toMillis() + "ms",
					"--catalog.redis.command-timeout=5s", "--catalog.stream.chunk-size=20",
					"--spring.r2dbc.pool.max-acquire-time=10s",
					"--spring.r2dbc.pool.max-create-connection-time=10s");
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { b, a }) {
			if (instance != null) {
				instance.close();
			}
		}
		if (replica != null) {
			replica.close();
		}
	}

	@Test
	@Order(1)
	void missesOfListsMembersDetailsAndStatsAreOneStatementEachOnTheReplica() {
		String id = firstId(b);
		String collection = get(b, "/api/v1/collections?limit=1").json().get("items").get(0).get("id").asString();
		for (String path : List.of("/api/v1/artifacts?limit=7", "/api/v1/artifacts/" + id,
				"/api/v1/collections/" + collection + "/artifacts?limit=3", "/api/v1/stats")) {
			double onReplica = replicaStatements(b);
			Answer miss = get(b, path);
			assertThat(miss.status()).as(path).isEqualTo(200);
			assertThat(miss.cache()).as(path).isEqualTo("MISS");
			assertThat(miss.statements()).as(path + ": statements in all").isEqualTo(1);
			assertThat(replicaStatements(b) - onReplica).as(path + ": statements on the replica").isEqualTo(1);
			assertThat(get(b, path).cache()).as(path).isEqualTo("HIT");
		}
		assertThat(fallbacks(b)).isZero();
	}

	@Test
	@Order(2)
	void aWriteThroughOneInstanceIsReadThroughTheOtherFromThePrimaryWhileReplayIsPausedAndNotCachedStale()
			throws Exception {
		String id = firstId(b);
		String path = "/api/v1/artifacts/" + id;
		get(b, path);
		assertThat(get(b, path).cache()).isEqualTo("HIT");
		long before = lsn(replica.onPrimary("SELECT pg_current_wal_insert_lsn()"));
		replica.query("SELECT pg_wal_replay_pause()");
		try {
			Answer written = rename(a, id, "written-while-paused");
			assertThat(written.status()).isEqualTo(200);
			long recorded = recordedWal();
			assertThat(recorded).as("the write's WAL position is recorded beside the generation")
				.isGreaterThan(before);
			assertThat(lsn(replica.query("SELECT pg_last_wal_replay_lsn()"))).as("replay is paused before it")
				.isLessThan(recorded);

			double replicaBefore = replicaStatements(b);
			double fallbacksBefore = fallbacks(b);
			Answer read = get(b, path);
			assertThat(read.json().get("name").asString()).isEqualTo("written-while-paused");
			assertThat(read.cache()).isEqualTo("MISS");
			assertThat(replicaStatements(b) - replicaBefore).isEqualTo(1);
			assertThat(read.statements()).as("the guarded statement on the replica, then the read on the primary")
				.isEqualTo(2);
			assertThat(fallbacks(b) - fallbacksBefore).isEqualTo(1);

			Answer again = get(b, path);
			assertThat(again.cache()).as("the page stored is the written one").isEqualTo("HIT");
			assertThat(again.json().get("name").asString()).isEqualTo("written-while-paused");
			Answer onA = get(a, path);
			assertThat(onA.json().get("name").asString()).isEqualTo("written-while-paused");

			Answer list = get(b, "/api/v1/artifacts?limit=60");
			assertThat(list.body()).contains("written-while-paused");
		}
		finally {
			replica.query("SELECT pg_wal_replay_resume()");
		}
	}

	@Test
	@Order(3)
	void afterReplayResumesReadsReturnToTheReplica() {
		String id = firstId(b);
		rename(a, id, "after-resume");
		awaitReplicaUsable(b);
		awaitReplayed();
		double onReplica = replicaStatements(b);
		Answer read = get(b, "/api/v1/artifacts/" + id);
		assertThat(read.json().get("name").asString()).isEqualTo("after-resume");
		assertThat(read.cache()).isEqualTo("MISS");
		assertThat(read.statements()).isEqualTo(1);
		assertThat(replicaStatements(b) - onReplica).isEqualTo(1);
	}

	@Test
	@Order(4)
	void listStreamsReadEveryPageOnTheReplica() {
		awaitReplicaUsable(b);
		awaitReplayed();
		for (MediaType type : List.of(MediaType.APPLICATION_NDJSON, MediaType.TEXT_EVENT_STREAM)) {
			double onReplica = replicaStatements(b);
			double fallbacks = fallbacks(b);
			String body = stream(b, "/api/v1/artifacts", type);
			assertThat(body.split("\n")).as(type.toString())
				.filteredOn((line) -> line.contains("\"name\""))
				.hasSize(60);
			// 60 artifacts in chunks of 20, 21 rows asked for each time: the third finds only 20
			assertThat(replicaStatements(b) - onReplica).as(type + ": statements on the replica").isEqualTo(3);
			assertThat(fallbacks(b) - fallbacks).isZero();
		}
	}

	/**
	 * The hazard of a stream on a replica: its end hands out a feed position, and following the
	 * feed from there must miss nothing. Here a change is made behind the cache's back (so no
	 * write position in Redis requires it) while replay is paused; B's feed has passed it, so the
	 * position B hands out is after it. The replica's snapshot lacks that commit: every page
	 * falls back to the primary and the stream shows the change.
	 */
	@Test
	@Order(5)
	void aStreamWhoseFeedPositionCoversACommitTheReplicaLacksIsReadOnThePrimary() throws Exception {
		awaitReplicaUsable(b);
		awaitReplayed();
		String id = firstId(b);
		replica.query("SELECT pg_wal_replay_pause()");
		try {
			replica.onPrimary("WITH u AS (UPDATE artifacts SET name = 'direct-while-paused' WHERE id = '" + id
					+ "' RETURNING id) SELECT count(*)::text FROM u");
			long commit = Long.parseLong(replica.onPrimary("SELECT max(position)::text FROM catalog_commits"));
			FeedHead head = b.getBean(FeedHead.class);
			await().atMost(TIMEOUT).until(() -> head.head() != null && head.head().commit() >= commit);
			assertThat(replica.query("SELECT COALESCE(max(position), 0)::text FROM catalog_commits"))
				.as("the replica has not replayed it")
				.isNotEqualTo(Long.toString(commit));
			double onReplica = replicaStatements(b);
			double fallbacks = fallbacks(b);
			String body = stream(b, "/api/v1/artifacts", MediaType.APPLICATION_NDJSON);
			assertThat(body).contains("direct-while-paused");
			assertThat(replicaStatements(b) - onReplica).as("each page tried on the replica").isEqualTo(3);
			assertThat(fallbacks(b) - fallbacks).as("and read again on the primary").isEqualTo(3);
		}
		finally {
			replica.query("SELECT pg_wal_replay_resume()");
		}
	}

	private static String stream(ConfigurableApplicationContext instance, String path, MediaType type) {
		return http(instance).get().uri(path).accept(type).retrieve().bodyToMono(String.class).block(TIMEOUT);
	}

	@Test
	@Order(6)
	void aReplicaLaggingPastTheMaxLagIsSkipped() throws Exception {
		String id = firstId(b);
		replica.query("SELECT pg_wal_replay_pause()");
		try {
			rename(a, id, "lagging-" + UUID.randomUUID());
			// received but not replayed, for longer than replica-max-lag: the checks set it aside
			await().atMost(TIMEOUT).until(() -> replicaState(b) == Replica.State.LAGGING);
			double onReplica = replicaStatements(b);
			Answer read = get(b, "/api/v1/artifacts?limit=4");
			assertThat(read.status()).isEqualTo(200);
			assertThat(read.statements()).as("straight to the primary, no attempt on the replica").isEqualTo(1);
			assertThat(replicaStatements(b)).isEqualTo(onReplica);
		}
		finally {
			replica.query("SELECT pg_wal_replay_resume()");
		}
		awaitReplicaUsable(b);
	}

	@Test
	@Order(7)
	void aFrozenReplicaCostsAReadHalfTheLoadTimeoutThenReadsGoToThePrimary() throws Exception {
		awaitReplicaUsable(b);
		replica.signal("STOP");
		try {
			long started = System.nanoTime();
			Answer read = get(b, "/api/v1/artifacts?limit=5");
			long millis = (System.nanoTime() - started) / 1_000_000;
			System.out.printf("Replica frozen (SIGSTOP): first read answered %d from the primary in %d ms%n",
					read.status(), millis);
			assertThat(read.status()).isEqualTo(200);
			assertThat(read.cache()).isEqualTo("MISS");
			assertThat(millis).isLessThan(LOAD_TIMEOUT.toMillis());
			await().atMost(TIMEOUT).until(() -> replicaState(b) == Replica.State.DOWN);
			started = System.nanoTime();
			Answer next = get(b, "/api/v1/artifacts?limit=6");
			assertThat(next.statements()).isEqualTo(1);
			assertThat((System.nanoTime() - started) / 1_000_000).as("no wait for a replica known to be down")
				.isLessThan(LOAD_TIMEOUT.toMillis() / 2);
		}
		finally {
			replica.signal("CONT");
		}
		awaitReplicaUsable(b);
	}

	@Test
	@Order(8)
	void aStoppedReplicaSendsReadsToThePrimary() throws Exception {
		awaitReplicaUsable(b);
		replica.stopImmediately();
		long started = System.nanoTime();
		Answer read = get(b, "/api/v1/artifacts?limit=8");
		long millis = (System.nanoTime() - started) / 1_000_000;
		System.out.printf("Replica stopped (SIGQUIT): first read answered %d from the primary in %d ms%n",
				read.status(), millis);
		assertThat(read.status()).isEqualTo(200);
		assertThat(millis).isLessThan(LOAD_TIMEOUT.toMillis());
		await().atMost(TIMEOUT).until(() -> replicaState(b) == Replica.State.DOWN);
		for (int i = 0; i < 5; i++) {
			Answer next = get(b, "/api/v1/artifacts?limit=" + (10 + i));
			assertThat(next.status()).isEqualTo(200);
			assertThat(next.statements()).isEqualTo(1);
		}
		String id = firstId(b);
		Answer written = rename(a, id, "replica-stopped");
		assertThat(written.status()).as("writes do not need the replica").isEqualTo(200);
		assertThat(get(b, "/api/v1/artifacts/" + id).json().get("name").asString()).isEqualTo("replica-stopped");
	}

	/** The WAL position the last write recorded beside the generation (what replica reads require). */
	private static long recordedWal() {
		return Long.parseLong(a.getBean(dev.catalog.cache.RedisConnection.class)
			.execute((commands) -> commands.get(PREFIX + "generation:wal"))
			.map(String::new)
			.block(TIMEOUT));
	}

	/** Until the replica has replayed the last write the cache knows of. */
	private static void awaitReplayed() {
		long recorded = recordedWal();
		await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> lsn(replica.query("SELECT pg_last_wal_replay_lsn()")) >= recorded);
	}

	private static void awaitReplicaUsable(ConfigurableApplicationContext instance) {
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
			.until(() -> replicaState(instance) == Replica.State.USABLE);
	}

	private static Replica.State replicaState(ConfigurableApplicationContext instance) {
		return instance.getBean(Replicas.class).all().get(0).state();
	}

	private static double replicaStatements(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class).get("catalog.db.replica.statements").counter().count();
	}

	private static double fallbacks(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class).get("catalog.db.replica.fallbacks").counter().count();
	}

	/** A WAL position as bytes. */
	private static long lsn(String text) {
		String[] parts = text.split("/");
		return (Long.parseLong(parts[0], 16) << 32) + Long.parseLong(parts[1], 16);
	}

	private static String firstId(ConfigurableApplicationContext instance) {
		return get(instance, "/api/v1/artifacts?limit=1").json().get("items").get(0).get("id").asString();
	}

	record Answer(int status, String body, String cache, int statements) {

		JsonNode json() {
			return json.readTree(this.body);
		}

	}

	private static WebClient http(ConfigurableApplicationContext instance) {
		int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return WebClient.create("http://localhost:" + port);
	}

	private static Answer get(ConfigurableApplicationContext instance, String path) {
		return answer(http(instance).get().uri(path).accept(MediaType.APPLICATION_JSON));
	}

	/** Through the write API, as a client would. */
	private static Answer rename(ConfigurableApplicationContext instance, String id, String name) {
		return answer(http(instance).patch()
			.uri("/api/v1/artifacts/{id}", id)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.parseMediaType("application/merge-patch+json"))
			.bodyValue("{\"name\":\"" + name + "\"}"));
	}

	private static Answer answer(WebClient.RequestHeadersSpec<?> request) {
		return request.exchangeToMono((response) -> response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.map((body) -> {
				String timing = response.headers().asHttpHeaders().getFirst("Server-Timing");
				Matcher matcher = SERVER_TIMING.matcher((timing != null) ? timing : "");
				return new Answer(response.statusCode().value(), body,
						response.headers().asHttpHeaders().getFirst("X-Cache"),
						matcher.find() ? Integer.parseInt(matcher.group(1)) : -1);
			}))
			.block(TIMEOUT);
	}

}
