package dev.catalog.faults;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.catalog.TestCatalog;
import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.SeedProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service killed with {@code SIGKILL} in the middle of a 1,000-id membership batch: a
 * separate JVM of the service (this test's own classpath) on the test's PostgreSQL and Redis,
 * killed at several moments after its transaction is seen running in PostgreSQL
 * ({@code pg_stat_activity}). Whatever the moment, the batch is in the
 * database whole or not at all, and every collection's {@code artifact_count} is exact.
 */
@ExtendWith(TestServers.class)
class KilledMidBatchIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	static final String TOKEN = "killed-mid-batch-token-0b9d";

	private static ConfigurableApplicationContext observer;

	private static final Path LOGS = Path.of("target", "killed-mid-batch").toAbsolutePath();

	@BeforeAll
	static void start() {
		observer = new SpringApplicationBuilder(CatalogApplication.class).profiles("test").run("--server.port=0");
	}

	@AfterAll
	static void stop() {
		if (observer != null) {
			observer.close();
		}
	}

	private static DatabaseClient database() {
		return observer.getBean(DatabaseClient.class);
	}

	private static long count(String sql) {
		return database().sql(sql).map((row) -> row.get(0, Long.class)).one().block(TIMEOUT);
	}

	/** The service in a JVM of its own, on the same servers as this test. */
	private static Process child(int port, int round) throws Exception {
		Environment environment = observer.getEnvironment();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), CatalogApplication.class.getName(),
				"--server.port=" + port, "--spring.profiles.active=test",
				"--spring.r2dbc.url=" + environment.getRequiredProperty("spring.r2dbc.url"),
				"--spring.data.redis.url=" + environment.getRequiredProperty("spring.data.redis.url"),
				"--catalog.api-tokens=" + TOKEN));
		for (String name : List.of("spring.r2dbc.username", "spring.r2dbc.password")) {
			String value = environment.getProperty(name);
			if (value != null) {
				command.add("--" + name + "=" + value);
			}
		}
		java.nio.file.Files.createDirectories(LOGS);
		File log = LOGS.resolve("child-" + round + ".log").toFile();
		// run from a directory of its own: the test JVM's classpath may name the working directory,
		// where the project's migrations/ would be found twice
		return new ProcessBuilder(command).directory(LOGS.toFile()).redirectErrorStream(true).redirectOutput(log).start();
	}

	@Test
	void aBatchCutOffByKill9IsWholeOrAbsentAndEveryArtifactCountIsExact() throws Exception {
		database().sql(TestCatalog.EMPTY_CATALOG)
			.then()
			.block(TIMEOUT);
		observer.getBean(CatalogSeeder.class).seed(new SeedProperties(1200, 3, 2.0, 0.5)).block(TIMEOUT);
		List<String> ids = database().sql("SELECT id::text FROM artifacts ORDER BY id LIMIT 1000")
			.map((row) -> row.get(0, String.class))
			.all()
			.collectList()
			.block(TIMEOUT);
		String batch = "{\"add\":[\"" + String.join("\",\"", ids) + "\"]}";
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		List<String> outcomes = new ArrayList<>();
		long[] delaysMillis = { 0, 5, 20, 60 };
		for (int round = 0; round < delaysMillis.length; round++) {
			String collection = database()
				.sql("INSERT INTO collections (id, name, description, created_at, updated_at) "
						+ "VALUES (gen_random_uuid(), 'killed-" + round + "', '', now(), now()) RETURNING id::text")
				.map((row) -> row.get(0, String.class))
				.one()
				.block(TIMEOUT);
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			Process service = child(port, round);
			try {
				URI base = URI.create("http://localhost:" + port);
				await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(
						() -> client.send(HttpRequest.newBuilder(base.resolve("/actuator/health/liveness")).build(),
								HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
				CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest
					.newBuilder(base.resolve("/api/v1/collections/" + collection + "/memberships"))
					.header("Authorization", "Bearer " + TOKEN)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(batch))
					.build(), HttpResponse.BodyHandlers.ofString());
				// mid-batch for sure: its transaction is seen running in PostgreSQL, then a few ms more
				await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(2)).until(() -> count("SELECT count(*) FROM "
						+ "pg_stat_activity WHERE pid <> pg_backend_pid() AND xact_start IS NOT NULL "
						+ "AND query ILIKE '%collection_artifacts%'") > 0);
				Thread.sleep(delaysMillis[round]);
				new ProcessBuilder("kill", "-KILL", Long.toString(service.pid())).start().waitFor();
				assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
				String answered = answer.handle((response, failure) -> (response != null)
						? Integer.toString(response.statusCode()) : "no answer").get(30, TimeUnit.SECONDS);
				// PostgreSQL notices the dead connection and rolls back whatever was not committed
				await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM pg_stat_activity WHERE state "
						+ "IN ('active', 'idle in transaction') AND query ILIKE '%collection_artifacts%' AND pid <> pg_backend_pid()") == 0);
				long members = count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + collection + "'");
				outcomes.add("killed " + delaysMillis[round] + " ms after its transaction was seen: answer " + answered + ", " + members
						+ " members");
				assertThat(members).as("the batch whole or absent").isIn(0L, 1000L);
				assertThat(count("SELECT artifact_count FROM collections WHERE id = '" + collection + "'"))
					.isEqualTo(members);
				assertThat(count("SELECT count(*) FROM collections c WHERE c.artifact_count <> "
						+ "(SELECT count(*) FROM collection_artifacts m WHERE m.collection_id = c.id)"))
					.as("collections whose artifact_count is not exact").isZero();
			}
			finally {
				service.destroyForcibly();
			}
		}
		System.out.println("Kill -9 mid-batch: " + outcomes);
	}

}
