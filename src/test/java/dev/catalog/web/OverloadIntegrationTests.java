package dev.catalog.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import dev.catalog.db.DatabaseFailures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deliberately tiny pool (one connection, 300 ms acquire timeout), a short statement
 * timeout and a small in-flight limit: while the test holds the only connection, API requests
 * are refused with 503 problem+json and {@code Retry-After} instead of waiting for it, and
 * the service answers normally again once the connection is free. A page of another origin
 * can read those refusals.
 */
@CatalogIntegrationTest
@TestPropertySource(properties = { "spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-size=1",
		"spring.r2dbc.pool.max-acquire-time=300ms", "catalog.db.statement-timeout=500ms",
		"catalog.overload.max-in-flight=4", "catalog.cors.allowed-origins=https://app.example" })
class OverloadIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Autowired
	private TestCatalog catalog;

	@LocalServerPort
	private int port;

	private WebClient client;

	private Sinks.Empty<Void> release;

	private Disposable holder;

	@BeforeEach
	void setUp() {
		this.catalog.reset();
		this.catalog.seed(20, 3);
		this.client = WebClient.create("http://localhost:" + this.port);
	}

	@AfterEach
	void releaseConnection() {
		if (this.release != null) {
			this.release.tryEmitEmpty();
			this.holder.dispose();
		}
	}

	@Test
	void requestsThatFindThePoolExhaustedGet503WithRetryAfterAndTheServiceRecovers() throws InterruptedException {
		holdTheOnlyConnection();
		List<Answer> answers = Flux.range(0, 4).flatMap((i) -> get("/api/v1/artifacts")).collectList().block(TIMEOUT);
		assertThat(answers).hasSize(4).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(answer.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(answer.retryAfter()).isEqualTo("1");
			assertThat(answer.body()).contains("\"status\":503");
			// the pool gave up after its acquire timeout: nothing waited for the held connection
			assertThat(answer.elapsed()).isLessThan(Duration.ofSeconds(10));
		});
		this.release.tryEmitEmpty();
		StepVerifier.create(get("/api/v1/artifacts"))
			.assertNext((answer) -> assertThat(answer.status()).isEqualTo(HttpStatus.OK))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void requestsBeyondTheInFlightLimitAreShedAtOnceAndProbesStillAnswer() throws InterruptedException {
		holdTheOnlyConnection();
		List<Answer> answers = Flux.range(0, 40).flatMap((i) -> get("/api/v1/artifacts"), 40).collectList()
			.block(TIMEOUT);
		assertThat(answers).hasSize(40).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(answer.retryAfter()).isEqualTo("1");
		});
		assertThat(answers).anySatisfy((answer) -> assertThat(answer.body()).contains("Too many requests in flight"));
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.headers().getVary()).contains("Origin"));
		StepVerifier.create(get("/actuator/health/liveness"))
			.assertNext((answer) -> assertThat(answer.status()).isEqualTo(HttpStatus.OK))
			.expectComplete()
			.verify(TIMEOUT);
		this.release.tryEmitEmpty();
		List<Answer> after = Flux.range(0, 4).concatMap((i) -> get("/api/v1/artifacts")).collectList().block(TIMEOUT);
		assertThat(after).allSatisfy((answer) -> assertThat(answer.status()).isEqualTo(HttpStatus.OK));
	}

	/**
	 * CORS runs before the in-flight limit: a shed answer tells the page it may read it, and
	 * its Retry-After, rather than failing as a network error in the browser.
	 */
	@Test
	void aCrossOriginRequestShedForTheInFlightLimitIsReadableByItsPage() throws InterruptedException {
		holdTheOnlyConnection();
		List<Answer> answers = Flux.range(0, 40)
			.flatMap((i) -> get("/api/v1/artifacts", "https://app.example"), 40)
			.collectList()
			.block(TIMEOUT);
		List<Answer> shed = answers.stream().filter((answer) -> answer.body().contains("Too many requests")).toList();
		assertThat(shed).isNotEmpty().allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(answer.headers().getAccessControlAllowOrigin()).isEqualTo("https://app.example");
			assertThat(answer.headers().getAccessControlExposeHeaders()).contains(HttpHeaders.RETRY_AFTER);
			assertThat(answer.headers().getVary()).contains("Accept", "Accept-Encoding", "Origin");
		});
	}

	@Test
	void aStatementOverTheStatementTimeoutIsCancelledAndCountsAsOverload() {
		StepVerifier.create(this.catalog.database().sql("SELECT pg_sleep(5)").then())
			.expectErrorSatisfies((error) -> assertThat(DatabaseFailures.isOutage(error))
				.as("%s is mapped to 503", error)
				.isTrue())
			.verify(TIMEOUT);
		assertThat(this.catalog.count("SELECT count(*) FROM artifacts")).isEqualTo(20);
	}

	private void holdTheOnlyConnection() throws InterruptedException {
		CountDownLatch held = new CountDownLatch(1);
		this.release = Sinks.empty();
		this.holder = this.catalog.database().inConnection((connection) -> {
			held.countDown();
			return this.release.asMono();
		}).subscribe();
		assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
	}

	private Mono<Answer> get(String path) {
		return get(path, null);
	}

	private Mono<Answer> get(String path, String origin) {
		long started = System.nanoTime();
		return this.client.get()
			.uri(path)
			.headers((headers) -> {
				if (origin != null) {
					headers.setOrigin(origin);
				}
			})
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(HttpStatus.valueOf(response.statusCode().value()),
						response.headers().contentType().orElse(null),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), body,
						Duration.ofNanos(System.nanoTime() - started), response.headers().asHttpHeaders())));
	}

	record Answer(HttpStatus status, MediaType contentType, String retryAfter, String body, Duration elapsed,
			HttpHeaders headers) {

	}

}
