package dev.catalog.cache;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.catalog.TestCatalog;
import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import dev.catalog.db.CatalogChanges;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.EmbeddedServers;
import dev.catalog.embedded.SeedProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two instances of the service (two application contexts in this JVM) sharing one PostgreSQL
 * and one Redis, as in a multi-instance deployment. Both read the same {@link MutableClock}.
 * Tests that stop a server restore it in a {@code finally} block: later test classes in the
 * JVM share the servers.
 */
@ExtendWith(TestServers.class)
class SharedCacheIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	// generous: the machine running the tests may be shared and busy; 500 requests at once must not time out
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

	private static final JsonMapper json = JsonMapper.builder().build();

	private static Instance a;

	private static Instance b;

	/** One running instance of the service and what a test needs of it. */
	record Instance(ConfigurableApplicationContext context, WebClient http) {

		static Instance start() {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(CatalogApplication.class)
				.profiles("test")
				.initializers((initialized) -> initialized.getBeanFactory().registerSingleton("clock", clock))
				.run("--server.port=0", "--catalog.redis.command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
						"--catalog.cache.circuit-breaker-wait=300ms", "--catalog.cache.fresh=10s",
						"--catalog.cache.stale=60s", "--catalog.cache.stale-if-error=1h",
						// a refresh held up by a test's table lock must outlive the burst of requests
						"--catalog.cache.refresh-timeout=60s",
						// the machine running the tests may be busy; outages are bounded by the cache's own timeouts
						"--spring.r2dbc.pool.max-acquire-time=10s", "--spring.r2dbc.pool.max-create-connection-time=10s");
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			return new Instance(context, WebClient.create("http://localhost:" + port));
		}

		double meter(String name, String... tags) {
			var search = this.context.getBean(MeterRegistry.class).find(name).tags(tags);
			return search.counters().stream().mapToDouble((counter) -> counter.count()).sum();
		}

		double statements() {
			return meter("catalog.db.statements");
		}

		DatabaseClient database() {
			return this.context.getBean(DatabaseClient.class);
		}

		CatalogChanges changes() {
			return this.context.getBean(CatalogChanges.class);
		}

		/**
		 * Lets the instance fold PostgreSQL's generation in now (as after a Redis outage), so that
		 * statement counts below are the reads' alone.
		 */
		void resync() {
			this.context.getBean(RedisSync.class).redisMayHaveMissedChanges();
			this.context.getBean(CatalogGenerations.class).ready().block(TIMEOUT);
		}

		Answer get(String path, String ifNoneMatch) {
			return getAsync(path, ifNoneMatch).block(TIMEOUT);
		}

		Mono<Answer> getAsync(String path, String ifNoneMatch) {
			return Mono.defer(() -> {
				long started = System.nanoTime();
				return this.http.get()
					.uri(path)
					.accept(MediaType.APPLICATION_JSON)
					.headers((headers) -> {
						if (ifNoneMatch != null) {
							headers.setIfNoneMatch(ifNoneMatch);
						}
					})
					.exchangeToMono((response) -> response.bodyToMono(String.class)
						.defaultIfEmpty("")
						.map((body) -> new Answer(HttpStatus.valueOf(response.statusCode().value()), body,
								response.headers().asHttpHeaders().toSingleValueMap(),
								Duration.ofNanos(System.nanoTime() - started))));
			});
		}

		Answer get(String path) {
			return get(path, null);
		}

		Mono<Answer> getAsync(String path) {
			return getAsync(path, null);
		}

	}

	record Answer(HttpStatus status, String body, Map<String, String> headers, Duration elapsed) {

		String cache() {
			return this.headers.get("X-Cache");
		}

		JsonNode json() {
			return SharedCacheIntegrationTests.json.readTree(this.body);
		}

	}

	@BeforeAll
	static void startTwoInstances() {
		a = Instance.start();
		b = Instance.start();
	}

	@AfterAll
	static void stopInstances() {
		if (b != null) {
			b.context().close();
		}
		if (a != null) {
			a.context().close();
		}
	}

	@BeforeEach
	void emptyCatalogAndCache() {
		a.database()
			.sql(TestCatalog.EMPTY_CATALOG)
			.then()
			.block(TIMEOUT);
		a.context().getBean(CatalogSeeder.class).seed(new SeedProperties(120, 6, 2.0, 0.5)).block(TIMEOUT);
		flushRedis();
		a.resync();
		b.resync();
	}

	private static void flushRedis() {
		// retried: after a test that restarted Redis, the connection may still be coming back
		a.context()
			.getBean(RedisConnection.class)
			.execute((commands) -> commands.flushdb())
			.retryWhen(reactor.util.retry.Retry.backoff(10, Duration.ofMillis(100)))
			.block(TIMEOUT);
	}

	private static String diagnostics() {
		return "loads " + meter("catalog.cache.loads") + ", redis errors " + meter("catalog.cache.redis.errors")
				+ ", lock contention " + meter("catalog.cache.lock.contention") + ", requests "
				+ a.context().getBean(MeterRegistry.class).find("catalog.cache.requests").counters().stream()
					.map((counter) -> counter.getId().getTag("result") + "=" + counter.count())
					.toList();
	}

	private static double statements() {
		return a.statements() + b.statements();
	}

	private static double meter(String name, String... tags) {
		return a.meter(name, tags) + b.meter(name, tags);
	}

	/** Requests split evenly over both instances, all at once. */
	private static List<Answer> concurrently(int requests, String path) {
		return Flux.range(0, requests)
			.flatMap((i) -> ((i % 2 == 0) ? a : b).getAsync(path), requests)
			.collectList()
			.block(TIMEOUT);
	}

	@Test
	void concurrentMissesAcrossInstancesLoadThePageAtMostTwice() {
		String page = "/api/v1/artifacts?limit=25";
		double before = statements();
		double loadsBefore = meter("catalog.cache.loads");

		List<Answer> answers = concurrently(200, page);

		assertThat(answers).hasSize(200).allSatisfy((answer) -> assertThat(answer.status()).isEqualTo(HttpStatus.OK));
		assertThat(answers.stream().map(Answer::body).distinct()).hasSize(1);
		assertThat(answers.stream().map((answer) -> answer.headers().get("ETag")).distinct()).hasSize(1);
		assertThat(statements() - before).as(diagnostics()).isBetween(1.0, 2.0);
		assertThat(meter("catalog.cache.loads") - loadsBefore).isBetween(1.0, 2.0);
		assertThat(a.get(page).cache()).isEqualTo("HIT");
		assertThat(b.get(page).cache()).isEqualTo("HIT");
	}

	@Test
	void staleEntryIsServedAtOnceAcrossInstancesWhileExactlyOneRefreshRuns() throws Exception {
		String page = "/api/v1/stats";
		Answer first = a.get(page);
		assertThat(first.cache()).isEqualTo("MISS");
		clock.advance(Duration.ofSeconds(11));
		double refreshesBefore = meter("catalog.cache.refreshes", "outcome", "started");
		double statementsBefore = statements();

		List<Answer> answers;
		// the database cannot answer the stats query until the lock is released: a stale answer
		// that waited for it would not arrive before then
		try (Connection blocker = jdbc()) {
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE artifacts, collections IN ACCESS EXCLUSIVE MODE");
			}
			answers = concurrently(500, page);
			assertThat(meter("catalog.cache.refreshes", "outcome", "completed")).isZero();
			blocker.commit();
		}

		assertThat(answers).as(diagnostics()).hasSize(500).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(HttpStatus.OK);
			assertThat(answer.cache()).isEqualTo("STALE");
			assertThat(answer.body()).isEqualTo(first.body());
		});
		await().atMost(Duration.ofSeconds(20))
			.until(() -> meter("catalog.cache.refreshes", "outcome", "completed") == 1.0);
		assertThat(meter("catalog.cache.refreshes", "outcome", "started") - refreshesBefore).isEqualTo(1.0);
		assertThat(statements() - statementsBefore).isEqualTo(1.0);
		assertThat(a.get(page).cache()).isEqualTo("HIT");
		assertThat(b.get(page).cache()).isEqualTo("HIT");
	}

	@Test
	void writeThroughOneInstanceIsSeenAtOnceThroughTheOther() {
		JsonNode artifact = b.get("/api/v1/artifacts?limit=10").json().get("items").get(0);
		String id = artifact.get("id").asString();
		UUID joined = a.database()
			.sql("""
					SELECT c.id FROM collections c
					WHERE NOT EXISTS (SELECT 1 FROM collection_artifacts m WHERE m.collection_id = c.id AND m.artifact_id = :id)
					ORDER BY c.id LIMIT 1""")
			.bind("id", UUID.fromString(id))
			.map((row) -> row.get(0, UUID.class))
			.one()
			.block(TIMEOUT);
		List<String> paths = List.of("/api/v1/artifacts/" + id, "/api/v1/artifacts?limit=10",
				"/api/v1/collections/" + joined, "/api/v1/collections?limit=200", "/api/v1/stats");
		paths.forEach(b::get);
		// twice: the second hit answers from b's own copy (NearCache), the case a write must not be hidden by
		for (int hit = 0; hit < 2; hit++) {
			paths.forEach((path) -> assertThat(b.get(path).cache()).as(path).isEqualTo("HIT"));
		}
		long count = b.get("/api/v1/collections/" + joined).json().get("artifactCount").asLong();
		long memberships = b.get("/api/v1/stats").json().get("memberships").asLong();

		// the write, as the write API does it: commit, then tell the cache, then answer
		a.database()
			.sql("UPDATE artifacts SET name = 'renamed-by-a', updated_at = now() WHERE id = :id")
			.bind("id", UUID.fromString(id))
			.then()
			.then(a.database()
				.sql("INSERT INTO collection_artifacts (collection_id, artifact_id, added_at) VALUES (:c, :a, now())")
				.bind("c", joined)
				.bind("a", UUID.fromString(id))
				.then())
			.then(a.changes().committed())
			.block(TIMEOUT);

		JsonNode detail = b.get("/api/v1/artifacts/" + id).json();
		assertThat(detail.get("name").asString()).isEqualTo("renamed-by-a");
		assertThat(detail.get("collections").valueStream().map((c) -> c.get("id").asString()))
			.contains(joined.toString());
		JsonNode listed = b.get("/api/v1/artifacts?limit=10").json().get("items").get(0);
		assertThat(listed.get("name").asString()).isEqualTo("renamed-by-a");
		assertThat(b.get("/api/v1/collections/" + joined).json().get("artifactCount").asLong()).isEqualTo(count + 1);
		assertThat(b.get("/api/v1/collections?limit=200").json().get("items").valueStream()
			.filter((c) -> c.get("id").asString().equals(joined.toString()))
			.findFirst()
			.orElseThrow()
			.get("artifactCount")
			.asLong()).isEqualTo(count + 1);
		assertThat(b.get("/api/v1/stats").json().get("memberships").asLong()).isEqualTo(memberships + 1);
	}

	@Test
	void readsAnswerFromPostgresWhileRedisIsDownAndHitsComeBackAfterwards() {
		assumeTrue(EmbeddedServers.runningRedis().isPresent(), "needs the embedded Redis to stop it");
		String page = "/api/v1/artifacts?limit=20";
		String expected = a.get(page).body();
		assertThat(b.get(page).cache()).isEqualTo("HIT");
		try {
			EmbeddedServers.stopRedis();
			double before = statements();
			for (int i = 0; i < 20; i++) {
				for (Instance instance : List.of(a, b)) {
					Answer answer = instance.get(page);
					assertThat(answer.status()).isEqualTo(HttpStatus.OK);
					assertThat(answer.cache()).isEqualTo("BYPASS");
					assertThat(answer.body()).isEqualTo(expected);
					// the database answers in milliseconds; Redis may add one command timeout
					assertThat(answer.elapsed()).isLessThan(COMMAND_TIMEOUT.plus(Duration.ofSeconds(1)));
				}
			}
			assertThat(meter("catalog.cache.redis.errors")).isPositive();
			// one statement per read: finding out whether Redis is back costs no SQL
			assertThat(statements() - before).isEqualTo(40.0);
		}
		finally {
			EmbeddedServers.restartRedis();
		}
		for (Instance instance : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> "HIT".equals(instance.get(page).cache()));
		}
	}

	@Test
	void writeWhileRedisIsDownIsNotHiddenByEntriesFromBeforeTheOutage() {
		assumeTrue(EmbeddedServers.runningRedis().isPresent(), "needs the embedded Redis to stop it");
		String id = a.get("/api/v1/artifacts?limit=5").json().get("items").get(0).get("id").asString();
		List<String> paths = List.of("/api/v1/artifacts/" + id, "/api/v1/artifacts?limit=5");
		for (Instance instance : List.of(a, b)) {
			paths.forEach(instance::get);
			// twice: the second hit answers from the instance's own copy (NearCache)
			for (int hit = 0; hit < 2; hit++) {
				paths.forEach((path) -> assertThat(instance.get(path).cache()).isEqualTo("HIT"));
			}
		}
		String entryKey = "catalog:entry:artifact:" + id;
		try {
			EmbeddedServers.stopRedis();
			a.database()
				.sql("UPDATE artifacts SET name = 'renamed-during-outage', updated_at = now() WHERE id = :id")
				.bind("id", UUID.fromString(id))
				.then()
				.then(a.changes().committed())
				.block(TIMEOUT);
			assertThat(b.get("/api/v1/artifacts/" + id).json().get("name").asString())
				.isEqualTo("renamed-during-outage");
		}
		finally {
			EmbeddedServers.restartRedis();
		}
		long kept = rawRedis((commands) -> commands.exists(entryKey));
		assertThat(kept).as("pre-outage entry kept by Redis")
			.isEqualTo(1L);

		for (Instance instance : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
				for (String path : paths) {
					Answer answer = instance.get(path);
					JsonNode body = answer.json();
					JsonNode shown = path.contains("limit") ? body.get("items").get(0) : body;
					assertThat(shown.get("name").asString()).as(path + " " + answer.cache())
						.isEqualTo("renamed-during-outage");
				}
				return "HIT".equals(instance.get(paths.get(0)).cache());
			});
		}
	}

	@Test
	void postgresDownServesCachedPagesAndAnswersOthers503Quickly() {
		assumeTrue(EmbeddedServers.runningPostgres().isPresent(), "needs the embedded PostgreSQL to stop it");
		String cached = "/api/v1/artifacts?limit=7";
		String body = a.get(cached).body();
		// past the stale window: only stale-if-error may serve it now
		clock.advance(Duration.ofSeconds(10 + 60 + 5));
		try {
			EmbeddedServers.stopPostgres();
			for (Instance instance : List.of(a, b)) {
				Answer answer = instance.get(cached);
				assertThat(answer.status()).isEqualTo(HttpStatus.OK);
				assertThat(answer.cache()).isEqualTo("STALE");
				assertThat(answer.body()).isEqualTo(body);

				Answer uncached = instance.get("/api/v1/artifacts?limit=8");
				assertThat(uncached.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(uncached.headers()).containsKey("Retry-After");
				assertThat(uncached.headers().get("Content-Type")).startsWith("application/problem+json");
				assertThat(uncached.elapsed()).isLessThan(Duration.ofSeconds(2));
			}
		}
		finally {
			EmbeddedServers.restartPostgres();
		}
		for (Instance instance : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> instance.get("/api/v1/artifacts?limit=9").status() == HttpStatus.OK);
			assertThat(instance.get("/api/v1/stats").status()).isEqualTo(HttpStatus.OK);
		}
	}

	@Test
	void ifNoneMatchWithTheCurrentEtagIsNotModifiedWithoutSql() {
		String page = "/api/v1/artifacts?limit=15";
		Answer first = a.get(page);
		assertThat(first.cache()).isEqualTo("MISS");
		String etag = first.headers().get("ETag");
		assertThat(etag).isNotBlank();
		assertThat(first.headers().get("Cache-Control"))
			.isEqualTo("max-age=10, stale-while-revalidate=60, stale-if-error=3600");
		double before = statements();

		for (Instance instance : List.of(a, b)) {
			Answer answer = instance.get(page, etag);
			assertThat(answer.status()).isEqualTo(HttpStatus.NOT_MODIFIED);
			assertThat(answer.body()).isEmpty();
			assertThat(answer.cache()).isEqualTo("HIT");
			assertThat(answer.headers().get("ETag")).isEqualTo(etag);
			assertThat(answer.headers().get("Server-Timing")).contains("0 statements");
		}
		assertThat(statements() - before).isZero();
		assertThat(a.get(page, "\"something-else\"").status()).isEqualTo(HttpStatus.OK);
	}

	private static Connection jdbc() throws Exception {
		var environment = a.context().getEnvironment();
		return DriverManager.getConnection(environment.getRequiredProperty("spring.liquibase.url"),
				environment.getRequiredProperty("spring.liquibase.user"),
				environment.getRequiredProperty("spring.liquibase.password"));
	}

	private static <T> T rawRedis(
			java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> command) {
		RedisClient client = RedisClient.create(a.context().getEnvironment().getRequiredProperty("spring.data.redis.url"));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

}
