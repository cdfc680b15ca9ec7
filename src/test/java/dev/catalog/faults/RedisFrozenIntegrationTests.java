package dev.catalog.faults;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.catalog.TestCatalog;
import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import dev.catalog.cache.RedisConnection;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.EmbeddedServers;
import dev.catalog.embedded.SeedProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis hung, not stopped: the embedded {@code redis-server} frozen with {@code SIGSTOP}, so
 * its socket stays open and commands get no reply, as with a Redis stuck in a long command or
 * a swap storm. Timings are bounds derived from the configured command timeout, not
 * benchmarks. The server is always thawed with {@code SIGCONT} in a {@code finally} block:
 * other test classes in this JVM share it.
 */
@ExtendWith(TestServers.class)
class RedisFrozenIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** What a busy 2-core machine may add to any answer. */
	private static final Duration MARGIN = Duration.ofMillis(1500);

	static final String TOKEN = "frozen-redis-token-31aa";

	private static ConfigurableApplicationContext service;

	private static WebClient http;

	@BeforeAll
	static void start() {
		service = new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run("--server.port=0", "--catalog.redis.command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
					"--catalog.cache.circuit-breaker-wait=5s", "--catalog.api-tokens=" + TOKEN,
					"--catalog.rate-limit.enabled=true", "--catalog.rate-limit.redis-retry=30s");
		int port = service.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		http = WebClient.create("http://localhost:" + port);
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.close();
		}
	}

	record Answer(int status, String cache, String body, Duration elapsed) {

	}

	private static Answer get(String path) {
		long started = System.nanoTime();
		return http.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(),
						String.valueOf(response.headers().asHttpHeaders().getFirst("X-Cache")), body,
						Duration.ofNanos(System.nanoTime() - started))))
			.block(TIMEOUT);
	}

	private static Answer post(String path, String body) {
		long started = System.nanoTime();
		return http.post()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((text) -> new Answer(response.statusCode().value(), "", text,
						Duration.ofNanos(System.nanoTime() - started))))
			.block(TIMEOUT);
	}

	/** The pid of this JVM's embedded redis-server, found by its port among our descendants. */
	private static long redisPid() {
		int port = EmbeddedServers.runningRedis().orElseThrow().port();
		return ProcessHandle.current()
			.descendants()
			.filter((process) -> process.info().commandLine().orElse("").contains("redis")
					&& process.info().commandLine().orElse("").contains(Integer.toString(port)))
			.findFirst()
			.or(() -> ProcessHandle.current()
				.descendants()
				.filter((process) -> process.info().command().orElse("").contains("redis"))
				.findFirst())
			.orElseThrow(() -> new IllegalStateException("no redis-server among this JVM's processes"))
			.pid();
	}

	private static void signal(String signal, long pid) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
	}

	@Test
	void readsAnswerWithinTheCommandTimeoutThenAtOnceFromPostgresAndAWriteMadeMeanwhileIsSeenAfterTheThaw()
			throws Exception {
		assumeTrue(EmbeddedServers.runningRedis().isPresent(), "needs the embedded Redis to freeze it");
		service.getBean(DatabaseClient.class)
			.sql(TestCatalog.EMPTY_CATALOG)
			.then()
			.block(TIMEOUT);
		service.getBean(CatalogSeeder.class).seed(new SeedProperties(50, 3, 2.0, 0.5)).block(TIMEOUT);
		service.getBean(RedisConnection.class).execute((commands) -> commands.flushdb()).block(TIMEOUT);
		assertThat(get("/api/v1/collections").cache()).isEqualTo("MISS");
		assertThat(get("/api/v1/collections").cache()).isEqualTo("HIT");
		long pid = redisPid();
		signal("STOP", pid);
		try {
			// each read waits on Redis at most the command timeout per command (the rate-limit
			// bucket, the cache entry), then answers from PostgreSQL
			// until the breaker has seen enough failures to open (at least 4 of its last 10 calls)
			List<Duration> waits = new java.util.ArrayList<>();
			for (int i = 0; i < 12; i++) {
				Answer answer = get((i % 2 == 0) ? "/api/v1/collections" : "/api/v1/stats");
				waits.add(answer.elapsed());
				assertThat(answer.status()).isEqualTo(200);
				assertThat(answer.cache()).isEqualTo("BYPASS");
				assertThat(answer.elapsed()).as("read %d, Redis frozen", i)
					.isLessThan(COMMAND_TIMEOUT.multipliedBy(3).plus(MARGIN));
				if (answer.elapsed().compareTo(COMMAND_TIMEOUT) < 0) {
					break;
				}
			}
			System.out.println("Reads while Redis froze, until the breaker opened: " + waits);
			assertThat(waits.get(waits.size() - 1)).as("a read that no longer waits on Redis").isLessThan(COMMAND_TIMEOUT);
			// with the breaker open (and the rate limits per instance), reads do not wait on Redis at all
			for (int i = 0; i < 5; i++) {
				Answer answer = get("/api/v1/collections");
				assertThat(answer.status()).isEqualTo(200);
				assertThat(answer.cache()).isEqualTo("BYPASS");
				assertThat(answer.elapsed()).as("read %d with the breaker open", i).isLessThan(COMMAND_TIMEOUT);
			}
			// a write succeeds while Redis is frozen: its generation goes to PostgreSQL
			Answer write = post("/api/v1/collections", "{\"name\":\"Made while Redis was frozen\"}");
			assertThat(write.status()).isEqualTo(201);
			assertThat(write.elapsed()).isLessThan(COMMAND_TIMEOUT.multipliedBy(2).plus(MARGIN));
		}
		finally {
			signal("CONT", pid);
		}
		// after the thaw (the breaker still open or not), the write is seen, never a pre-freeze entry
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		Answer after;
		do {
			after = get("/api/v1/collections");
			assertThat(after.body()).contains("Made while Redis was frozen");
			Thread.sleep(500);
		}
		while (!"HIT".equals(after.cache()) && !"MISS".equals(after.cache()) && System.nanoTime() < deadline);
		assertThat(after.cache()).as("served from Redis again").isIn("HIT", "MISS");
		assertThat(after.body()).contains("Made while Redis was frozen");
	}

}
