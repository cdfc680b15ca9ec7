package dev.catalog.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.catalog.TestCatalog;
import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import dev.catalog.cache.RedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client rate limits across two instances of the service sharing one Redis (as behind a
 * load balancer), and a third instance whose Redis cannot be reached. The instances trust
 * 127.0.0.1 and ::1 as proxies, so each test names its client with {@code X-Forwarded-For}
 * (documentation addresses, RFC 5737: only header values, never contacted).
 */
@ExtendWith(TestServers.class)
class RateLimitIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	static final String TOKEN = "rate-limit-tests-token-8d1e";

	/** Reads: one a second, bursts of 20; over 1,000 requests only the burst and the refill get through. */
	private static final List<String> LIMITS = List.of("--catalog.rate-limit.enabled=true",
			"--catalog.rate-limit.reads.rate=1", "--catalog.rate-limit.reads.burst=20",
			"--catalog.rate-limit.streams.rate=1", "--catalog.rate-limit.streams.burst=50",
			"--catalog.rate-limit.writes.rate=1", "--catalog.rate-limit.writes.burst=3",
			"--catalog.rate-limit.max-streams-per-client=2", "--catalog.rate-limit.trusted-proxies=127.0.0.1,::1",
			"--catalog.api-tokens=" + TOKEN, "--catalog.redis.command-timeout=2s",
			"--spring.r2dbc.pool.max-acquire-time=10s");

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	private static ConfigurableApplicationContext noRedis;

	@BeforeAll
	static void start() {
		a = start(List.of());
		b = start(List.of());
		// nothing listens on port 1: every Redis command fails at once
		noRedis = start(List.of("--spring.data.redis.url=redis://127.0.0.1:1"));
	}

	private static ConfigurableApplicationContext start(List<String> more) {
		List<String> args = new ArrayList<>(List.of("--server.port=0"));
		args.addAll(LIMITS);
		args.addAll(more);
		return new SpringApplicationBuilder(CatalogApplication.class).profiles("test").run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { noRedis, b, a }) {
			if (context != null) {
				context.close();
			}
		}
	}

	@BeforeEach
	void emptyBuckets() {
		a.getBean(RedisConnection.class).execute((commands) -> commands.flushdb()).block(TIMEOUT);
	}

	private static WebClient http(ConfigurableApplicationContext context) {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return WebClient.create("http://localhost:" + port);
	}

	record Answer(int status, HttpHeaders headers, String body) {

	}

	private static Mono<Answer> get(ConfigurableApplicationContext instance, String path, String client,
			MediaType accept) {
		return http(instance).get()
			.uri(path)
			.accept(accept)
			.header("X-Forwarded-For", client)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), body)));
	}

	private static Answer get(ConfigurableApplicationContext instance, String client) {
		return get(instance, "/api/v1/stats", client, MediaType.APPLICATION_JSON).block(TIMEOUT);
	}

	@Test
	void oneClientsThousandRequestsOverTheLimitAreRefusedOnBothInstancesWhileAnotherClientIsServed() {
		long started = System.nanoTime();
		List<Answer> onA = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<Answer> onB = new java.util.concurrent.CopyOnWriteArrayList<>();
		Flux.range(0, 1000)
			.flatMap((i) -> get((i % 2 == 0) ? a : b, "/api/v1/stats", "203.0.113.7", MediaType.APPLICATION_JSON)
				.doOnNext((i % 2 == 0) ? onA::add : onB::add), 8)
			.blockLast(TIMEOUT);
		double seconds = (System.nanoTime() - started) / 1e9;
		List<Answer> answers = new ArrayList<>(onA);
		answers.addAll(onB);
		long served = answers.stream().filter((answer) -> answer.status() == 200).count();
		long refused = answers.stream().filter((answer) -> answer.status() == 429).count();
		assertThat(served + refused).as("every answer a 200 or a 429").isEqualTo(1000);
		// the bucket is shared: the burst of 20 and one a second since, whichever instance answered
		assertThat(served).as("served of 1,000 in %.1f s", seconds).isLessThanOrEqualTo(20 + (long) Math.ceil(seconds) + 1);
		assertThat(served).isGreaterThanOrEqualTo(20);
		for (List<Answer> instance : List.of(onA, onB)) {
			List<Answer> refusals = instance.stream().filter((answer) -> answer.status() == 429).toList();
			assertThat(refusals).as("refused by each instance").hasSizeGreaterThan(450);
			Answer answer = refusals.get(refusals.size() - 1);
			assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(answer.body()).contains("\"status\":429").contains("too-many-requests");
			assertThat(Long.parseLong(answer.headers().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 2L);
			assertThat(answer.headers().getFirst("RateLimit-Policy")).isEqualTo("\"reads\";q=20;w=20");
			assertThat(answer.headers().getFirst("RateLimit")).matches("\"reads\";r=0;t=\\d+");
		}
		// another client is unaffected, on either instance
		for (ConfigurableApplicationContext instance : List.of(a, b)) {
			Answer other = get(instance, "203.0.113.8");
			assertThat(other.status()).isEqualTo(200);
			assertThat(other.headers().getFirst("RateLimit")).matches("\"reads\";r=1\\d;t=\\d+");
		}
	}

	@Test
	void aFloodingClientCostsRedisADecisionPerTokenNotOnePerRequest() {
		// the burst of 20 first, so that the requests below are over the limit
		long started = System.nanoTime();
		Flux.range(0, 20).concatMap((i) -> get((i % 2 == 0) ? a : b, "/api/v1/stats", "203.0.113.9",
				MediaType.APPLICATION_JSON)).blockLast(TIMEOUT);
		Map<String, Long> before = bucketCommands();
		List<Answer> answers = Flux.range(0, 400)
			.concatMap((i) -> get((i % 2 == 0) ? a : b, "/api/v1/stats", "203.0.113.9", MediaType.APPLICATION_JSON))
			.collectList()
			.block(TIMEOUT);
		double seconds = (System.nanoTime() - started) / 1e9;
		Map<String, Long> after = bucketCommands();
		long commands = after.entrySet()
			.stream()
			.mapToLong((entry) -> entry.getValue() - before.getOrDefault(entry.getKey(), 0L))
			.sum();
		long served = answers.stream().filter((answer) -> answer.status() == 200).count();
		assertThat(answers.stream().filter((answer) -> answer.status() == 429).count()).isEqualTo(400 - served);
		// one token a second comes back (since the burst began); each instance asks Redis (a GET
		// and a compare-and-swap) once per token it serves and once per refusal it remembers, which
		// lasts until the next token is due; a token served may add a cache miss's lock, store and
		// unlock. Without remembered refusals: a GET per refused request (426 commands for the 400
		// requests in a run with the memory switched off)
		assertThat(served).as("served in %.1f s", seconds).isLessThanOrEqualTo((long) Math.ceil(seconds) + 1);
		assertThat(commands).as("bucket commands for 400 requests in %.1f s: %s then %s", seconds, before, after)
			.isLessThanOrEqualTo(5 * served + 4 * ((long) Math.ceil(seconds) + 2));
		Answer refused = answers.get(answers.size() - 1);
		if (refused.status() == 429) {
			assertThat(Long.parseLong(refused.headers().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 2L);
			assertThat(refused.headers().getFirst("RateLimit")).matches("\"reads\";r=0;t=\\d+");
		}
	}

	/** Redis calls of the commands Bucket4j's compare-and-swap sends. */
	private static Map<String, Long> bucketCommands() {
		String stats = a.getBean(RedisConnection.class)
			.execute((commands) -> commands.info("commandstats"))
			.block(TIMEOUT);
		Map<String, Long> calls = new java.util.TreeMap<>();
		for (String line : stats.split("\r?\n")) {
			// cmdstat_get:calls=12,usec=40,usec_per_call=3.33,...
			String name = line.startsWith("cmdstat_") ? line.substring("cmdstat_".length(), line.indexOf(':')) : "";
			if (List.of("get", "eval", "evalsha", "set", "pexpire").contains(name)) {
				String count = line.substring(line.indexOf("calls=") + "calls=".length());
				calls.put(name, Long.parseLong(count.substring(0, count.indexOf(','))));
			}
		}
		return calls;
	}

	@Test
	void everyAnswerSaysItsPolicyAndWhatIsLeft() {
		Answer first = get(a, "198.51.100.1");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.headers().getFirst("RateLimit-Policy")).isEqualTo("\"reads\";q=20;w=20");
		assertThat(first.headers().getFirst("RateLimit")).isEqualTo("\"reads\";r=19;t=1");
		Answer second = get(b, "198.51.100.1");
		assertThat(second.headers().getFirst("RateLimit")).startsWith("\"reads\";r=18;");
		Answer notFound = get(a, "/api/v1/artifacts/00000000-0000-0000-0000-000000000000", "198.51.100.1",
				MediaType.APPLICATION_JSON).block(TIMEOUT);
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.headers().getFirst("RateLimit")).startsWith("\"reads\";r=17;");
		Answer write = http(a).post()
			.uri("/api/v1/collections")
			.header("X-Forwarded-For", "198.51.100.1")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), body)))
			.block(TIMEOUT);
		assertThat(write.status()).isEqualTo(401);
		assertThat(write.headers().getFirst("RateLimit-Policy")).isEqualTo("\"writes\";q=3;w=3");
		assertThat(write.headers().getFirst("RateLimit")).startsWith("\"writes\";r=2;");
		// actuator is not limited
		Answer health = http(a).get()
			.uri("/actuator/health")
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), body)))
			.block(TIMEOUT);
		assertThat(health.headers().getFirst("RateLimit")).isNull();
	}

	@Test
	void aTokenTheServiceAcceptsIsItsOwnClientWhereverItComesFromAndAMadeUpOneIsNot() {
		WebClient http = http(a);
		for (String from : List.of("203.0.113.20", "203.0.113.21")) {
			String limit = http.get()
				.uri("/api/v1/stats")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
				.header("X-Forwarded-For", from)
				.exchangeToMono((response) -> Mono.justOrEmpty(response.headers().asHttpHeaders().getFirst("RateLimit")))
				.block(TIMEOUT);
			assertThat(limit).as("from " + from).startsWith(from.endsWith("20") ? "\"reads\";r=19;" : "\"reads\";r=18;");
		}
		// a made-up token counts against the sender's address, so it is no way around the limit
		for (String token : List.of("made-up-1", "made-up-2")) {
			String limit = http.get()
				.uri("/api/v1/stats")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.header("X-Forwarded-For", "203.0.113.22")
				.exchangeToMono((response) -> Mono.justOrEmpty(response.headers().asHttpHeaders().getFirst("RateLimit")))
				.block(TIMEOUT);
			assertThat(limit).startsWith(token.endsWith("1") ? "\"reads\";r=19;" : "\"reads\";r=18;");
		}
	}

	@Test
	void forwardedForCountsOnlyFromATrustedProxyAndOnlyItsLastUntrustedHop() {
		RateLimitWebFilter filter = a.getBean(RateLimitWebFilter.class);
		assertThat(filter.client(request("127.0.0.1", "198.51.100.9"))).isEqualTo("a:198.51.100.9");
		// a client cannot name itself by putting an address first: the proxy appends the real one
		assertThat(filter.client(request("127.0.0.1", "1.2.3.4, 198.51.100.9"))).isEqualTo("a:198.51.100.9");
		// trusted hops are skipped
		assertThat(filter.client(request("127.0.0.1", "198.51.100.9, 127.0.0.1"))).isEqualTo("a:198.51.100.9");
		// from an address that is no trusted proxy the header is ignored
		assertThat(filter.client(request("192.0.2.44", "198.51.100.9"))).isEqualTo("a:192.0.2.44");
		// garbage stops the walk at the proxy
		assertThat(filter.client(request("127.0.0.1", "not-an-address"))).isEqualTo("a:127.0.0.1");
	}

	private static org.springframework.http.server.reactive.ServerHttpRequest request(String remote, String xff) {
		return org.springframework.mock.http.server.reactive.MockServerHttpRequest.get("/api/v1/stats")
			.remoteAddress(new java.net.InetSocketAddress(remote, 40000))
			.header("X-Forwarded-For", xff)
			.build();
	}

	@Test
	void withRedisUnreachableEachInstanceLimitsOnItsOwnInsteadOfRefusingEveryone() {
		// each request on its own clock: with Redis unreachable none may wait longer than the rate
		// limit's and the cache's command timeouts (2 s each, failing at once here) plus the load
		// timeout (1.5 s), with room for a busy machine
		long started = System.nanoTime();
		List<Answer> answers = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			answers.add(answerWithin(get(noRedis, "/api/v1/stats", "203.0.113.30", MediaType.APPLICATION_JSON),
					"request " + i));
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long served = answers.stream().filter((answer) -> answer.status() == 200).count();
		// the burst and one a second since (a busy machine makes the 60 requests take longer)
		assertThat(served).as("the burst, served per instance, in %.1f s", seconds)
			.isBetween(20L, 20L + (long) Math.ceil(seconds) + 1);
		assertThat(answers.stream().filter((answer) -> answer.status() == 429).count()).isEqualTo(60 - served);
		assertThat(answerWithin(get(noRedis, "/api/v1/stats", "203.0.113.31", MediaType.APPLICATION_JSON),
				"another client").status()).as("another client").isEqualTo(200);
		assertThat(noRedis.getBean(io.micrometer.core.instrument.MeterRegistry.class)
			.counter("catalog.rate-limit.local.fallbacks")
			.count()).isGreaterThanOrEqualTo(1);
	}

	private static final Duration UNREACHABLE_BOUND = Duration.ofSeconds(15);

	/** The answer, or a failure naming the request and where every thread of this JVM was. */
	private static Answer answerWithin(Mono<Answer> request, String which) {
		try {
			return request.block(UNREACHABLE_BOUND);
		}
		catch (IllegalStateException timedOut) {
			StringBuilder dump = new StringBuilder();
			Thread.getAllStackTraces().forEach((thread, frames) -> {
				dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
				for (StackTraceElement frame : frames) {
					dump.append("\tat ").append(frame).append('\n');
				}
				dump.append('\n');
			});
			java.nio.file.Path file = java.nio.file.Path.of("target", "rate-limit-no-answer-" + System.currentTimeMillis() + ".txt");
			try {
				java.nio.file.Files.writeString(file, dump);
			}
			catch (java.io.IOException ex) {
				timedOut.addSuppressed(ex);
			}
			throw new AssertionError(which + " got no answer within " + UNREACHABLE_BOUND + "; threads: " + file,
					timedOut);
		}
	}

	@Test
	void aClientWithTooManyStreamsOpenGetsA429ForTheNextOne() {
		// streams of 20,000 artifacts that the reader never reads: the server's writes wait on
		// the full socket, so both stay open
		a.getBean(org.springframework.r2dbc.core.DatabaseClient.class)
			.sql(TestCatalog.EMPTY_CATALOG)
			.then()
			.block(TIMEOUT);
		a.getBean(dev.catalog.embedded.CatalogSeeder.class)
			.seed(new dev.catalog.embedded.SeedProperties(20_000, 10, 2.0, 0.5))
			.block(TIMEOUT);
		Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
		List<reactor.core.Disposable> open = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				int n = i;
				open.add(http(a).get()
					.uri("/api/v1/artifacts")
					.accept(MediaType.TEXT_EVENT_STREAM)
					.header("X-Forwarded-For", "203.0.113.40")
					.exchangeToFlux((response) -> {
						statuses.put(n, response.statusCode().value());
						return Flux.never();
					})
					.subscribe());
			}
			org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> statuses.size() == 2);
			assertThat(statuses.values()).containsOnly(200);
			Answer third = get(a, "/api/v1/artifacts", "203.0.113.40", MediaType.TEXT_EVENT_STREAM).block(TIMEOUT);
			assertThat(third.status()).isEqualTo(429);
			assertThat(third.body()).contains("streams open");
			assertThat(get(a, "/api/v1/artifacts?limit=1", "203.0.113.41", MediaType.TEXT_EVENT_STREAM).block(TIMEOUT).status())
				.as("another client").isEqualTo(200);
		}
		finally {
			open.forEach(reactor.core.Disposable::dispose);
			a.getBean(org.springframework.r2dbc.core.DatabaseClient.class)
				.sql(TestCatalog.EMPTY_CATALOG)
				.then()
				.block(TIMEOUT);
		}
	}


	/**
	 * Feed streams (the feed, a list that follows it) are written after WebFlux is done with
	 * their request (handed off): they still count against their client's open streams for as
	 * long as they are open, and the answer carries the headers the filters put on it.
	 */
	@Test
	void feedStreamsCountAsOpenStreamsUntilTheyCloseAndCarryTheFiltersHeaders() {
		Map<Integer, Answer> opened = new java.util.concurrent.ConcurrentHashMap<>();
		List<reactor.core.Disposable> open = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				int n = i;
				open.add(http(a).get()
					.uri((i == 0) ? "/api/v1/changes" : "/api/v1/artifacts?follow=true")
					.accept(MediaType.TEXT_EVENT_STREAM)
					.header("X-Forwarded-For", "203.0.113.50")
					.exchangeToFlux((response) -> {
						opened.put(n, new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), ""));
						// read, so that disposing of it cancels the body and closes the connection
						return response.bodyToFlux(String.class);
					})
					.subscribe());
			}
			org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> opened.size() == 2);
			for (Answer answer : opened.values()) {
				assertThat(answer.status()).isEqualTo(200);
				assertThat(answer.headers().getContentType()).isEqualTo(MediaType.TEXT_EVENT_STREAM);
				assertThat(answer.headers().getFirst(RateLimitWebFilter.POLICY)).isEqualTo("\"streams\";q=50;w=50");
				assertThat(answer.headers().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
				assertThat(answer.headers().getFirst("Content-Security-Policy"))
					.isEqualTo(SecurityHeadersWebFilter.API_POLICY);
				assertThat(answer.headers().getVary()).contains(HttpHeaders.ACCEPT);
				assertThat(answer.headers().getContentLength()).isEqualTo(-1);
			}
			Answer third = get(a, "/api/v1/changes", "203.0.113.50", MediaType.TEXT_EVENT_STREAM).block(TIMEOUT);
			assertThat(third.status()).isEqualTo(429);
			assertThat(third.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(third.body()).contains("streams open");
			open.remove(0).dispose();
			org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
				// the first signal only: taking it cancels the stream
				Integer again = http(a).get()
					.uri("/api/v1/changes")
					.accept(MediaType.TEXT_EVENT_STREAM)
					.header("X-Forwarded-For", "203.0.113.50")
					.exchangeToFlux((response) -> Flux.just(response.statusCode().value()))
					.next()
					.block(TIMEOUT);
				assertThat(again).as("once one of the two closed").isEqualTo(200);
			});
		}
		finally {
			open.forEach(reactor.core.Disposable::dispose);
		}
	}

}
