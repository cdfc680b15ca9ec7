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
		List<Answer> answers = Flux.range(0, 60)
			.concatMap((i) -> get(noRedis, "/api/v1/stats", "203.0.113.30", MediaType.APPLICATION_JSON))
			.collectList()
			.block(TIMEOUT);
		long served = answers.stream().filter((answer) -> answer.status() == 200).count();
		assertThat(served).as("the burst, served per instance").isBetween(20L, 25L);
		assertThat(answers.stream().filter((answer) -> answer.status() == 429).count()).isEqualTo(60 - served);
		assertThat(get(noRedis, "203.0.113.31").status()).as("another client").isEqualTo(200);
		assertThat(noRedis.getBean(io.micrometer.core.instrument.MeterRegistry.class)
			.counter("catalog.rate-limit.local.fallbacks")
			.count()).isGreaterThanOrEqualTo(1);
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
