package dev.catalog.cache;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.catalog.TestCatalog;
import dev.catalog.CatalogApplication;
import dev.catalog.db.CatalogChanges;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.SeedProperties;
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
 * Two instances of the service on a distributed Redis (cluster or Sentinel) named by the given
 * arguments, and the failover scenario both kinds must pass: a Redis primary killed under load
 * costs no failed read, a write made during the failover is seen at once and not hidden by an
 * older entry afterwards, and hits resume.
 */
final class FailoverScenario implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper json = JsonMapper.builder().build();

	final ConfigurableApplicationContext a;

	final ConfigurableApplicationContext b;

	FailoverScenario(String... redisArguments) {
		this.a = start(redisArguments);
		this.b = start(redisArguments);
		// a catalog of its own: test classes before this one in the JVM leave theirs behind
		this.a.getBean(DatabaseClient.class)
			.sql(TestCatalog.EMPTY_CATALOG)
			.then()
			.block(TIMEOUT);
		this.a.getBean(CatalogSeeder.class).seed(new SeedProperties(120, 6, 2.0, 0.5)).block(TIMEOUT);
		this.a.getBean(CatalogChanges.class).committed().block(TIMEOUT);
	}

	private static ConfigurableApplicationContext start(String... redisArguments) {
		List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0",
				"--catalog.redis.command-timeout=1s", "--catalog.cache.circuit-breaker-wait=1s",
				"--catalog.cache.warm-up=false"));
		arguments.addAll(List.of(redisArguments));
		return new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run(arguments.toArray(String[]::new));
	}

	/** What a failover cost, as measured. */
	record Outcome(long writtenAfterMillis, long hitsResumedAfterMillis, int reads, List<String> failures) {
	}

	/**
	 * Caches a few pages on both instances, then, under a steady load of reads through both,
	 * kills (by {@code kill}) the Redis primary, renames an artifact through {@code a} at once,
	 * and waits until both instances answer its page from the cache again, with the new name.
	 */
	Outcome killPrimaryUnderLoad(Runnable kill, String id) {
		String detailPath = "/api/v1/artifacts/" + id;
		List<String> paths = List.of(detailPath, "/api/v1/artifacts?limit=10", "/api/v1/artifacts?limit=5",
				"/api/v1/stats");
		for (ConfigurableApplicationContext instance : List.of(this.a, this.b)) {
			paths.forEach((path) -> get(instance, path));
			await().atMost(TIMEOUT).until(() -> "HIT".equals(get(instance, detailPath).cache()));
		}
		AtomicBoolean loading = new AtomicBoolean(true);
		AtomicInteger reads = new AtomicInteger();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		Thread load = new Thread(() -> {
			while (loading.get()) {
				Flux.range(0, 16)
					.flatMap((i) -> getAsync((i % 2 == 0) ? this.a : this.b, paths.get(i % paths.size())))
					.doOnNext((answer) -> {
						reads.incrementAndGet();
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
		}, "failover-load");
		load.start();
		long killed = System.nanoTime();
		kill.run();
		rename(this.a, id, "renamed-during-failover");
		long written = System.nanoTime();
		for (ConfigurableApplicationContext instance : List.of(this.a, this.b)) {
			assertThat(get(instance, detailPath).json().get("name").asString()).isEqualTo("renamed-during-failover");
		}
		for (ConfigurableApplicationContext instance : List.of(this.a, this.b)) {
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
		return new Outcome((written - killed) / 1_000_000, (resumed - killed) / 1_000_000, reads.get(),
				List.copyOf(failures));
	}

	String firstId() {
		return get(this.a, "/api/v1/artifacts?limit=1").json().get("items").get(0).get("id").asString();
	}

	/** A write as the write API makes it: commit, then tell the cache, then answer. */
	static void rename(ConfigurableApplicationContext instance, String id, String name) {
		instance.getBean(DatabaseClient.class)
			.sql("UPDATE artifacts SET name = :name, updated_at = now() WHERE id = :id")
			.bind("name", name)
			.bind("id", UUID.fromString(id))
			.then()
			.then(instance.getBean(CatalogChanges.class).committed())
			.block(TIMEOUT);
	}

	record Answer(int status, String body, String cache) {

		JsonNode json() {
			return json.readTree(this.body);
		}

	}

	static Answer get(ConfigurableApplicationContext instance, String path) {
		return getAsync(instance, path).block(TIMEOUT);
	}

	static Mono<Answer> getAsync(ConfigurableApplicationContext instance, String path) {
		int port = instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return WebClient.create("http://localhost:" + port)
			.get()
			.uri(path)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), body,
						response.headers().asHttpHeaders().getFirst("X-Cache"))));
	}

	@Override
	public void close() {
		this.b.close();
		this.a.close();
	}

}
