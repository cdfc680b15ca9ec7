package dev.catalog.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import dev.catalog.cache.Served.Source;
import dev.catalog.web.ServiceUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The stale-while-revalidate side of the cache: what a cached entry answers ({@link CachePolicy}),
 * background refreshes, and loads of missing answers.
 * <ul>
 * <li>Across all instances at most one refresh of an entry version runs at a time (a Redis lock
 * per version, kept after a successful refresh until it expires); a refresh never delays a read.</li>
 * <li>Concurrent misses of a key in one generation share one load per instance; across
 * instances one loads under a Redis lock while the others poll for its result for up to
 * {@code miss-wait}, then load themselves. A miss takes at most its load timeout (then 503).</li>
 * <li>An answer is stored only if its generation is still current, so a load that raced with
 * a write is never served later. If Redis fails during a miss, the answer is served unstored.</li>
 * <li>If a load fails with an outage ({@code outage}), an entry inside its stale-if-error
 * window answers instead.</li>
 * </ul>
 */
class SwrLoader {

	private static final Logger logger = LoggerFactory.getLogger(SwrLoader.class);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private final CacheProperties properties;

	private final CachePolicy policy;

	private final CacheStore store;

	private final NearCache near;

	private final CatalogGenerations generations;

	private final CacheMetrics metrics;

	private final Clock clock;

	private final Predicate<Throwable> outage;

	/** Misses being loaded by this instance, by key and generation. */
	private final Map<String, Mono<Served>> loading = new ConcurrentHashMap<>();

	/** Entry versions this instance is refreshing, so it asks Redis for their lock only once. */
	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	/**
	 * @param outage which failures of a load say that the database cannot answer now (rather than
	 * that the request is wrong), so that an entry may answer on error
	 */
	SwrLoader(CacheProperties properties, CacheStore store, NearCache near, CatalogGenerations generations,
			CacheMetrics metrics, Clock clock, Predicate<Throwable> outage) {
		this.properties = properties;
		this.policy = CachePolicy.of(properties);
		this.store = store;
		this.near = near;
		this.generations = generations;
		this.metrics = metrics;
		this.clock = clock;
		this.outage = outage;
	}

	/**
	 * The current generation and the key's entry (possibly this instance's copy: {@link NearCache}), once Redis's
	 * generation accounts for every write recorded in PostgreSQL; fails with {@link CacheUnavailableException}.
	 */
	Mono<CacheStore.Lookup> lookup(String key) {
		return this.generations.ready().then(Mono.defer(() -> this.near.lookup(key)));
	}

	/**
	 * What {@code entry} (the current generation's, or {@code null}) answers at {@code now}
	 * without waiting: {@link Source#HIT} or {@link Source#STALE}, after starting the background
	 * refresh that is due; or {@link Source#MISS}: the answer must be {@link #load loaded}.
	 * Returns no {@link Served}, so that a hit allocates nothing for its outcome.
	 */
	Source cached(String key, @Nullable CacheEntry entry, long now, Mono<Encoded> render) {
		switch (this.policy.decide(entry, now, 1.0 - ThreadLocalRandom.current().nextDouble())) {
			case REFRESH_EARLY:
				refresh(key, entry, render);
				// fall through
			case FRESH:
				this.metrics.hits.increment();
				return Source.HIT;
			case STALE:
				refresh(key, entry, render);
				this.metrics.staleHits.increment();
				return Source.STALE;
			default:
				return Source.MISS;
		}
	}

	/**
	 * Loads the answer {@link #cached} could not give: {@link Source#MISS} (stored, or found
	 * stored by another instance), {@link Source#BYPASS} (Redis failed: not stored), or
	 * {@link Source#STALE} with the lookup's entry when the load failed with an outage and the
	 * entry may answer on error. Fails with the load's error otherwise.
	 */
	Mono<Served> load(String key, CacheStore.Lookup lookup, long now, Mono<Encoded> render, Duration timeout) {
		Mono<Served> loaded = miss(key, lookup.generation(), render, timeout).doOnNext((served) -> {
			if (served.source() == Source.BYPASS) {
				this.metrics.bypasses.increment();
			}
			else {
				this.metrics.misses.increment();
			}
		});
		CacheEntry entry = lookup.current();
		if (!this.policy.servesOnError(entry, now)) {
			return loaded;
		}
		return loaded.onErrorResume(this.outage, (ex) -> {
			logger.debug("Serving {} past its stale window: the database failed", key, ex);
			this.metrics.staleIfError.increment();
			return Mono.just(new Served(Source.STALE, entry));
		});
	}

	/**
	 * Loads a missing answer once per instance and, across instances, once per lock holder;
	 * bounded by {@code timeout} as a whole (the first caller's, for those who share the load).
	 */
	private Mono<Served> miss(String key, long generation, Mono<Encoded> render, Duration timeout) {
		String flight = key + "@" + generation;
		Mono<Served> existing = this.loading.get(flight);
		if (existing != null) {
			return existing;
		}
		@SuppressWarnings("unchecked")
		Mono<Served>[] created = new Mono[1];
		return this.loading.computeIfAbsent(flight, (name) -> {
			created[0] = loadOnce(key, generation, render).timeout(timeout)
				.onErrorMap(TimeoutException.class,
						(ex) -> new ServiceUnavailableException(
								"The database did not answer in time and nothing cached can answer; try again shortly.",
								Duration.ofSeconds(1), ex))
				.doFinally((signal) -> this.loading.remove(name, created[0]))
				.cache();
			return created[0];
		});
	}

	private Mono<Served> loadOnce(String key, long generation, Mono<Encoded> render) {
		String lock = key + "@" + generation;
		return this.store.tryLock(lock, this.properties.refreshTimeout())
			.flatMap((locked) -> locked ? loadLocked(key, generation, lock, render)
					: waitForOther(key, generation, lock)
						.switchIfEmpty(Mono.defer(() -> loadAndStore(key, generation, render))))
			.onErrorResume(CacheUnavailableException.class,
					(ex) -> load(generation, render).map((entry) -> new Served(Source.BYPASS, entry)));
	}

	/** Holding the lock: another instance may have stored the answer since our lookup. */
	private Mono<Served> loadLocked(String key, long generation, String lock, Mono<Encoded> render) {
		return this.store.lookup(key).flatMap((again) -> {
			CacheEntry stored = again.current();
			if (again.generation() == generation && stored != null && this.clock.millis() < stored.freshUntil()) {
				return Mono.just(new Served(Source.MISS, stored));
			}
			return loadAndStore(key, generation, render);
		}).doFinally((signal) -> this.store.unlock(lock)
			.subscribe(null, (ex) -> logger.debug("Lock {} not released", lock, ex)));
	}

	/** Another instance holds the key's lock: poll for its result, give up when it lets go. */
	private Mono<Served> waitForOther(String key, long generation, String lock) {
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
				return (entry != null && polled.generation() == generation)
						? Mono.just(new Served(Source.MISS, entry)) : Mono.empty();
			});
	}

	/** Loads and stores; if Redis fails while storing, the answer is still served. */
	private Mono<Served> loadAndStore(String key, long generation, Mono<Encoded> render) {
		return load(generation, render).flatMap((entry) -> this.store.store(key, entry, ttl(entry))
			.map((stored) -> new Served(Source.MISS, entry))
			.onErrorResume(CacheUnavailableException.class, (ex) -> Mono.just(new Served(Source.MISS, entry))));
	}

	private Mono<CacheEntry> load(long generation, Mono<Encoded> render) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			this.metrics.loads.increment();
			return render.map((answer) -> CacheEntry.create(generation, this.clock.millis(), this.properties,
					(int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000), answer));
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
	private void refresh(String key, CacheEntry entry, Mono<Encoded> render) {
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

}
