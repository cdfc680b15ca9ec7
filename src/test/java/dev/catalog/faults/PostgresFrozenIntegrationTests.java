package dev.catalog.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * PostgreSQL hung, not stopped: the postmaster and every backend frozen with {@code SIGSTOP},
 * so connections stay open and statements get no reply (and no statement timeout: a frozen
 * server enforces nothing). Cached pages are still served; an uncached read is a 503 with
 * {@code Retry-After} within the load timeout; a write is a 503 within the write timeout; and
 * after {@code SIGCONT} nothing of the refused write is in the database. Always thawed in a
 * {@code finally} block: other test classes in this JVM share the server.
 */
@ExtendWith(TestServers.class)
class PostgresFrozenIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration LOAD_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

	/** What a busy 2-core machine may add to any answer. */
	private static final Duration MARGIN = Duration.ofMillis(1500);

	static final String TOKEN = "frozen-postgres-token-77c2";

	private static ConfigurableApplicationContext service;

	private static WebClient http;

	@BeforeAll
	static void start() {
		service = new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run("--server.port=0", "--catalog.cache.load-timeout=" + LOAD_TIMEOUT.toMillis() + "ms",
					"--catalog.db.write-timeout=" + WRITE_TIMEOUT.toMillis() + "ms",
					"--spring.r2dbc.pool.max-acquire-time=1s", "--catalog.api-tokens=" + TOKEN);
		int port = service.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		http = WebClient.create("http://localhost:" + port);
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.close();
		}
	}

	record Answer(int status, String cache, String retryAfter, String body, Duration elapsed) {

	}

	private static Answer exchange(WebClient.RequestHeadersSpec<?> request) {
		long started = System.nanoTime();
		return request.exchangeToMono((response) -> response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.map((body) -> new Answer(response.statusCode().value(),
					String.valueOf(response.headers().asHttpHeaders().getFirst("X-Cache")),
					String.valueOf(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER)), body,
					Duration.ofNanos(System.nanoTime() - started))))
			.block(TIMEOUT);
	}

	private static Answer get(String path) {
		return exchange(http.get().uri(path).accept(MediaType.APPLICATION_JSON));
	}

	private static DatabaseClient database() {
		return service.getBean(DatabaseClient.class);
	}

	/** The postmaster (from its pid file) and, at the moment, every process it started. */
	private static List<Long> postgresProcesses() throws IOException {
		String dataDirectory = database().sql("SHOW data_directory")
			.map((row) -> row.get(0, String.class))
			.one()
			.block(TIMEOUT);
		long postmaster = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
		ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
		List<Long> pids = new java.util.ArrayList<>(List.of(postmaster));
		handle.children().forEach((child) -> pids.add(child.pid()));
		return pids;
	}

	private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
		for (long pid : pids) {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
			kill.waitFor();
		}
	}

	@Test
	void cachedPagesAreServedUncachedReadsAndWritesAre503sInTimeAndNothingIsHalfWrittenAfterTheThaw()
			throws Exception {
		assumeTrue(EmbeddedServers.runningPostgres().isPresent(), "needs the embedded PostgreSQL to freeze it");
		database().sql(TestCatalog.EMPTY_CATALOG)
			.then()
			.block(TIMEOUT);
		service.getBean(CatalogSeeder.class).seed(new SeedProperties(50, 3, 2.0, 0.5)).block(TIMEOUT);
		service.getBean(RedisConnection.class).execute((commands) -> commands.flushdb()).block(TIMEOUT);
		assertThat(get("/api/v1/collections").status()).isEqualTo(200);
		assertThat(get("/api/v1/collections").cache()).isEqualTo("HIT");
		long collectionsBefore = database().sql("SELECT count(*) FROM collections")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(TIMEOUT);
		List<Long> pids = postgresProcesses();
		signal("STOP", pids);
		Answer write;
		try {
			Answer cached = get("/api/v1/collections");
			assertThat(cached.status()).isEqualTo(200);
			assertThat(cached.cache()).isIn("HIT", "STALE");
			Answer uncached = get("/api/v1/artifacts?type=agent&limit=7");
			assertThat(uncached.status()).isEqualTo(503);
			assertThat(uncached.retryAfter()).isNotEqualTo("null");
			assertThat(uncached.body()).contains("\"status\":503");
			assertThat(uncached.elapsed()).isLessThan(LOAD_TIMEOUT.plus(MARGIN));
			write = exchange(http.post()
				.uri("/api/v1/collections")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"name\":\"Never half-written\"}"));
			assertThat(write.status()).isEqualTo(503);
			assertThat(write.retryAfter()).isNotEqualTo("null");
			assertThat(write.elapsed()).isLessThan(WRITE_TIMEOUT.plus(Duration.ofSeconds(1)).plus(MARGIN));
		}
		finally {
			signal("CONT", pids);
		}
		// after the thaw: the refused write is not there at all, and the service answers again
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		Answer after = get("/api/v1/artifacts?type=agent&limit=7");
		while (after.status() != 200 && System.nanoTime() < deadline) {
			Thread.sleep(250);
			after = get("/api/v1/artifacts?type=agent&limit=7");
		}
		assertThat(after.status()).isEqualTo(200);
		assertThat(database().sql("SELECT count(*) FROM collections WHERE name = 'Never half-written'")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block(TIMEOUT)).isZero();
		assertThat(database().sql("SELECT count(*) FROM collections").map((row) -> row.get(0, Long.class)).one()
			.block(TIMEOUT)).isEqualTo(collectionsBefore);
	}

}
