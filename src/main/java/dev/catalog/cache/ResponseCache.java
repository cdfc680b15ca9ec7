package dev.catalog.cache;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.catalog.web.BadRequestException;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.ServiceUnavailableException;
import dev.catalog.web.UnprocessableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves cacheable JSON reads from a stale-while-revalidate cache in Redis shared by every
 * instance of the service.
 * <p>
 * Every answer carries a strong {@code ETag} (a digest of its bytes), {@code Cache-Control}
 * with {@code max-age}, {@code stale-while-revalidate} and {@code stale-if-error}, and
 * {@code X-Cache} saying where it came from; {@code If-None-Match} is answered with 304 and no
 * body (from Redis alone when the entry is there). What a read gets:
 * <ul>
 * <li>{@code HIT}: a fresh entry, written to the socket as stored. A hot entry close to going
 * stale may start one background refresh early (XFetch, Vattani et al. 2015).</li>
 * <li>{@code STALE}: an entry past its fresh window but inside its stale window, served at
 * once; a background refresh starts, and across all instances at most one refresh of an entry
 * runs (a Redis lock per entry version). A stale answer never waits for the database. Also an
 * entry past its stale window but inside its stale-if-error window, when loading it failed
 * because PostgreSQL is down or overloaded.</li>
 * <li>{@code MISS}: loaded from PostgreSQL, then stored. Concurrent misses of a key on one
 * instance share one load; a miss that finds another instance loading the key polls for that
 * result for up to {@code miss-wait} before loading itself. A miss that cannot be answered
 * within {@code load-timeout} gets 503 with {@code Retry-After}.</li>
 * <li>{@code BYPASS}: Redis unavailable (command timeout, then a circuit breaker), or the cache
 * disabled: answered from PostgreSQL, nothing stored.</li>
 * </ul>
 * Writes invalidate through {@link CatalogGenerations}: an entry of an older generation is
 * never served, whatever its times say.
 * <p>
 * {@code key} identifies the answer (path, normalised parameters) across instances; only
 * JSON answers go through here, so the representation is implied.
 */
public class ResponseCache {

	private static final Logger logger = LoggerFactory.getLogger(ResponseCache.class);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private final JsonMapper json;

	private final CacheProperties properties;

	private final CachePolicy policy;

	private final CacheStore store;

	private final CatalogGenerations generations;

	private final CacheMetrics metrics;

	private final Clock clock;

	private final String cacheControl;

	/** Misses being loaded by this instance, by key and generation. */
	private final Map<String, Mono<Loaded>> loading = new ConcurrentHashMap<>();

	/** Entry versions this instance is refreshing, so it asks Redis for their lock only once. */
	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	ResponseCache(JsonMapper json, CacheProperties properties, CacheStore store, CatalogGenerations generations,
			CacheMetrics metrics, Clock clock) {
		this.json = json;
		this.properties = properties;
		this.policy = CachePolicy.of(properties);
		this.store = store;
		this.generations = generations;
		this.metrics = metrics;
		this.clock = clock;
		this.cacheControl = properties.cacheControl();
	}

	/** An answer loaded from PostgreSQL: stored in Redis unless {@code bypassed}. */
	private record Loaded(CacheEntry entry, boolean bypassed) {

	}

	/**
	 * Answers with the JSON rendering of what {@code body} emits, through the cache; an empty
	 * {@code body} or an error is passed on (the error handler renders it), and neither is
	 * cached. {@code body} is called (and its query built) only when the answer has to be
	 * loaded, possibly after this request has been answered (a background refresh); a hit
	 * costs no query building.
	 */
	public Mono<ServerResponse> json(ServerRequest request, String key, Supplier<Mono<?>> body) {
		Mono<byte[]> render = Mono.defer(body).map(this.json::writeValueAsBytes);
		if (!this.properties.enabled()) {
			return bypass(request, render);
		}
		Scheduler loop = EventLoops.of(request);
		return this.generations.ready()
			.then(this.store.lookup(key))
			.map(Optional::of)
			.onErrorResume(CacheUnavailableException.class, (ex) -> Mono.just(Optional.empty()))
			.publishOn(loop)
			.flatMap((lookup) -> lookup.isPresent() ? serve(request, key, lookup.get(), render, loop)
					: bypass(request, render));
	}

	private Mono<ServerResponse> serve(ServerRequest request, String key, CacheStore.Lookup lookup,
			Mono<byte[]> render, Scheduler loop) {
		long now = this.clock.millis();
		CacheEntry entry = lookup.current();
		switch (this.policy.decide(entry, now, 1.0 - ThreadLocalRandom.current().nextDouble())) {
			case REFRESH_EARLY:
				refresh(key, entry, render);
				// fall through
			case FRESH:
				this.metrics.hits.increment();
				return respond(request, entry, "HIT", now);
			case STALE:
				refresh(key, entry, render);
				this.metrics.staleHits.increment();
				return respond(request, entry, "STALE", now);
			default:
				break;
		}
		return miss(key, lookup.generation(), render).publishOn(loop).flatMap((loaded) -> {
			if (loaded.bypassed()) {
				this.metrics.bypasses.increment();
				return respond(request, loaded.entry(), "BYPASS", -1);
			}
			this.metrics.misses.increment();
			return respond(request, loaded.entry(), "MISS", -1);
		}).onErrorResume((ex) -> this.policy.servesOnError(entry, now) && isOutage(ex), (ex) -> {
			logger.debug("Serving {} past its stale window: the database failed", key, ex);
			this.metrics.staleIfError.increment();
			return respond(request, entry, "STALE", this.clock.millis());
		});
	}

	/**
	 * Loads a missing answer once per instance and, across instances, once per lock holder;
	 * bounded by {@code load-timeout} as a whole.
	 */
	private Mono<Loaded> miss(String key, long generation, Mono<byte[]> render) {
		String flight = key + "@" + generation;
		Mono<Loaded> existing = this.loading.get(flight);
		if (existing != null) {
			return existing;
		}
		@SuppressWarnings("unchecked")
		Mono<Loaded>[] created = new Mono[1];
		return this.loading.computeIfAbsent(flight, (name) -> {
			created[0] = loadOnce(key, generation, render).timeout(this.properties.loadTimeout())
				.onErrorMap(TimeoutException.class,
						(ex) -> new ServiceUnavailableException(
								"The database did not answer in time and nothing cached can answer; try again shortly.",
								Duration.ofSeconds(1), ex))
				.doFinally((signal) -> this.loading.remove(name, created[0]))
				.cache();
			return created[0];
		});
	}

	private Mono<Loaded> loadOnce(String key, long generation, Mono<byte[]> render) {
		String lock = key + "@" + generation;
		return this.store.tryLock(lock, this.properties.refreshTimeout())
			.flatMap((locked) -> locked ? loadLocked(key, generation, lock, render)
					: waitForOther(key, generation, lock).switchIfEmpty(Mono.defer(() -> loadAndStore(key, generation, render))))
			.onErrorResume(CacheUnavailableException.class, (ex) -> load(generation, render).map((entry) -> new Loaded(entry, true)));
	}

	/** Holding the lock: another instance may have stored the answer since our lookup. */
	private Mono<Loaded> loadLocked(String key, long generation, String lock, Mono<byte[]> render) {
		return this.store.lookup(key).flatMap((again) -> {
			CacheEntry stored = again.current();
			if (again.generation() == generation && stored != null && this.clock.millis() < stored.freshUntil()) {
				return Mono.just(new Loaded(stored, false));
			}
			return loadAndStore(key, generation, render);
		}).doFinally((signal) -> release(lock));
	}

	/** Another instance holds the key's lock: poll for its result, give up when it lets go. */
	private Mono<Loaded> waitForOther(String key, long generation, String lock) {
		this.metrics.lockContention.increment();
		if (this.properties.missWait().isZero()) {
			return Mono.empty();
		}
		return Mono.delay(POLL_INTERVAL)
			.then(Mono.defer(() -> this.store.poll(key, lock)))
			.repeat()
			.filter((polled) -> polled.current() != null || !polled.locked() || polled.generation() != generation)
			.next()
			.timeout(this.properties.missWait(), Mono.empty())
			.flatMap((polled) -> {
				CacheEntry entry = polled.current();
				return (entry != null && polled.generation() == generation) ? Mono.just(new Loaded(entry, false))
						: Mono.empty();
			});
	}

	private Mono<Loaded> loadAndStore(String key, long generation, Mono<byte[]> render) {
		return load(generation, render).flatMap((entry) -> this.store.store(key, entry, ttl(entry))
			.map((stored) -> new Loaded(entry, false))
			.onErrorResume(CacheUnavailableException.class, (ex) -> Mono.just(new Loaded(entry, false))));
	}

	private Mono<CacheEntry> load(long generation, Mono<byte[]> render) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			this.metrics.loads.increment();
			return render.map((bytes) -> CacheEntry.create(generation, this.clock.millis(), this.properties,
					(int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000), etag(bytes), bytes));
		});
	}

	private long ttl(CacheEntry entry) {
		return entry.errorUntil() - this.clock.millis();
	}

	/**
	 * Starts a background refresh of the entry unless one is already running for this version
	 * of it on any instance. The lock is kept after a successful refresh until it expires, so
	 * requests that read the old version just before the new one was stored do not refresh
	 * it again.
	 */
	private void refresh(String key, CacheEntry entry, Mono<byte[]> render) {
		String lock = key + "@" + entry.version();
		if (!this.refreshing.add(lock)) {
			return;
		}
		this.store.tryLock(lock, this.properties.refreshTimeout()).flatMap((locked) -> {
			if (!locked) {
				this.metrics.lockContention.increment();
				return Mono.empty();
			}
			this.metrics.refreshesStarted.increment();
			return load(entry.generation(), render).timeout(this.properties.refreshTimeout())
				.flatMap((fresh) -> this.store.store(key, fresh, ttl(fresh)))
				.doOnSuccess((stored) -> this.metrics.refreshesCompleted.increment())
				.onErrorResume((ex) -> {
					this.metrics.refreshesFailed.increment();
					logger.debug("Refresh of {} failed", key, ex);
					return this.store.unlock(lock).onErrorResume((unlockFailed) -> Mono.empty()).then(Mono.empty());
				});
		})
			.doFinally((signal) -> this.refreshing.remove(lock))
			.subscribe(null, (ex) -> logger.debug("Refresh of {} not started", key, ex));
	}

	private void release(String lock) {
		this.store.unlock(lock).subscribe(null, (ex) -> logger.debug("Lock {} not released", lock, ex));
	}

	private Mono<ServerResponse> bypass(ServerRequest request, Mono<byte[]> render) {
		return render.timeout(this.properties.loadTimeout())
			.onErrorMap(TimeoutException.class,
					(ex) -> new ServiceUnavailableException("The database did not answer in time; try again shortly.",
							Duration.ofSeconds(1), ex))
			.flatMap((bytes) -> {
				this.metrics.bypasses.increment();
				return respond(request, bytes, etag(bytes), "BYPASS");
			});
	}

	private Mono<ServerResponse> respond(ServerRequest request, CacheEntry entry, String source, long now) {
		ServerResponse.BodyBuilder response = (notModified(request, entry.etag()))
				? ServerResponse.status(HttpStatus.NOT_MODIFIED) : ServerResponse.ok();
		response.eTag(entry.etag()).header(HttpHeaders.CACHE_CONTROL, this.cacheControl).header("X-Cache", source);
		if (now >= 0) {
			response.header(HttpHeaders.AGE, Long.toString(Math.max(0, (now - entry.createdAt()) / 1000)));
		}
		if (notModified(request, entry.etag())) {
			return response.build();
		}
		return response.contentType(MediaType.APPLICATION_JSON).bodyValue(entry.body());
	}

	private Mono<ServerResponse> respond(ServerRequest request, byte[] bytes, String etag, String source) {
		if (notModified(request, etag)) {
			return ServerResponse.status(HttpStatus.NOT_MODIFIED)
				.eTag(etag)
				.header(HttpHeaders.CACHE_CONTROL, this.cacheControl)
				.header("X-Cache", source)
				.build();
		}
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.eTag(etag)
			.header(HttpHeaders.CACHE_CONTROL, this.cacheControl)
			.header("X-Cache", source)
			.bodyValue(ByteBuffer.wrap(bytes));
	}

	private static boolean notModified(ServerRequest request, String etag) {
		return request.headers().header(HttpHeaders.IF_NONE_MATCH).stream().anyMatch((value) -> matches(value, etag));
	}

	/** A failure that says the database cannot answer now, not that the request is wrong. */
	private static boolean isOutage(Throwable failure) {
		return !(failure instanceof BadRequestException || failure instanceof NotFoundException
				|| failure instanceof UnprocessableException);
	}

	static boolean matches(String ifNoneMatch, String etag) {
		for (String candidate : ifNoneMatch.split(",")) {
			String trimmed = candidate.trim();
			if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
				return true;
			}
		}
		return false;
	}

	static String etag(byte[] bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
