package dev.catalog.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.catalog.web.SelfRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Loads the reads the features registered ({@link WarmUpPath} beans: the first page of each
 * list, the stats) into the cache when the service has started, by reading them through the
 * service's own HTTP API: the same keys, the same representation, and "if absent" for free (an
 * entry that is there is a hit, not a load). Start-up waits for it at most
 * {@code catalog.cache.warm-up-wait}; what is not done by then finishes in the background.
 * Failures are logged and otherwise ignored. Nothing is loaded when the cache or the warm-up is
 * off.
 * <p>
 * Then it sends itself requests of the same paths, in each content coding, until the JIT has
 * compiled what they run ({@link HitPathWarmUp}; at most {@code catalog.cache.warm-up-requests}
 * of them for at most {@code warm-up-requests-wait}): hits, which cost PostgreSQL nothing, and
 * which let the JIT compile the hit path before the instance reports ready (this listener runs
 * before Spring Boot publishes readiness). Without them, an instance that just started served
 * the cached list at a fraction of its speed for its first half minute of traffic
 * (bench/results/cpu/README.md, "Warm from the first request").
 */
class CacheWarmUp implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(CacheWarmUp.class);

	/** The content codings the warm-up requests ask for in turn, so every coding's path is compiled. */
	private static final List<String> CODINGS = List.of("identity", "gzip", "br, gzip");

	/** Warm-up requests in flight at once. */
	private static final int CONCURRENCY = 8;

	private final CacheProperties properties;

	private final List<String> paths;

	private final SelfRequests self;

	CacheWarmUp(CacheProperties properties, List<WarmUpPath> paths, SelfRequests self) {
		this.properties = properties;
		this.self = self;
		this.paths = paths.stream().map(WarmUpPath::path).toList();
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Integer port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", Integer.class);
		if (!this.properties.enabled() || !this.properties.warmUp() || this.paths.isEmpty() || port == null || port <= 0) {
			return;
		}
		// on the service's own event loops, rather than starting Reactor Netty's global ones
		// marked as the instance's own, so that per-client rate limits let them through
		WebClient.Builder builder = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultHeader(SelfRequests.HEADER, this.self.secret());
		event.getApplicationContext()
			.getBeanProvider(ReactorResourceFactory.class)
			// without compression: the answers are dropped unread, decompressing them would be waste
			.ifAvailable((resources) -> builder
				.clientConnector(new ReactorClientHttpConnector(resources, (http) -> http.compress(false))));
		WebClient client = builder.build();
		CompletableFuture<Void> done = Flux.fromIterable(this.paths)
			.flatMap((path) -> client.get()
				.uri(path)
				.accept(MediaType.APPLICATION_JSON)
				.exchangeToMono((response) -> response.releaseBody()
					.thenReturn(path + " " + response.statusCode().value() + " "
							+ response.headers().asHttpHeaders().getFirst("X-Cache")))
				.timeout(Duration.ofSeconds(30))
				.onErrorResume((ex) -> Mono.just(path + " failed: " + ex)))
			.doOnNext((outcome) -> logger.debug("Cache warm-up: {}", outcome))
			.then()
			.toFuture();
		if (await(done, "Cache warm-up") && this.properties.warmUpRequests() > 0) {
			exercise(client);
		}
	}

	/** The warm-up paths again and again, in every coding, until the JIT is done with them. */
	private void exercise(WebClient client) {
		try {
			HitPathWarmUp.Outcome outcome = HitPathWarmUp.ofThisJvm()
				.run((from, count) -> requests(client, from, count), this.properties.warmUpRequests(),
						this.properties.warmUpRequestsWait());
			logger.info("Warm-up of the hit path: {}", outcome);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Warm-up of the hit path failed", ex);
		}
	}

	/** Requests {@code from} to {@code from + count} of the warm-up paths, a few at a time; failures ignored. */
	private CompletableFuture<Void> requests(WebClient client, int from, int count) {
		int paths = this.paths.size();
		return Flux.range(from, count)
			.flatMap((i) -> client.get()
				.uri(this.paths.get(i % paths))
				.accept(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.ACCEPT_ENCODING, CODINGS.get((i / paths) % CODINGS.size()))
				.exchangeToMono((response) -> response.releaseBody())
				.onErrorResume((ex) -> Mono.empty()), CONCURRENCY)
			.then()
			.toFuture();
	}

	/** Waits at most {@code warm-up-wait} for {@code done}; tells whether it finished. */
	private boolean await(CompletableFuture<Void> done, String what) {
		try {
			done.get(this.properties.warmUpWait().toMillis(), TimeUnit.MILLISECONDS);
			logger.info("{} done", what);
			return true;
		}
		catch (TimeoutException ex) {
			logger.info("{} goes on in the background", what);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("{} failed", what, ex.getCause());
		}
		return false;
	}

}
