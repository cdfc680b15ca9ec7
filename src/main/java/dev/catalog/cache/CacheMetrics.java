package dev.catalog.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of the response cache: {@code catalog.cache.requests} by {@code result}
 * (hit, stale, stale-if-error, miss, bypass), {@code catalog.cache.refreshes} by
 * {@code outcome} (started, completed, failed), {@code catalog.cache.loads} (PostgreSQL loads
 * made through the cache), {@code catalog.cache.lock.contention} (a refresh or miss found
 * another instance holding the key's lock), {@code catalog.cache.entry.size} (bytes stored)
 * and {@code catalog.cache.redis.errors}.
 */
class CacheMetrics {

	final Counter hits;

	final Counter staleHits;

	final Counter staleIfError;

	final Counter misses;

	final Counter bypasses;

	final Counter refreshesStarted;

	final Counter refreshesCompleted;

	final Counter refreshesFailed;

	final Counter loads;

	final Counter lockContention;

	final Counter redisErrors;

	final DistributionSummary entrySizes;

	CacheMetrics(MeterRegistry registry) {
		this.hits = request(registry, "hit");
		this.staleHits = request(registry, "stale");
		this.staleIfError = request(registry, "stale-if-error");
		this.misses = request(registry, "miss");
		this.bypasses = request(registry, "bypass");
		this.refreshesStarted = refresh(registry, "started");
		this.refreshesCompleted = refresh(registry, "completed");
		this.refreshesFailed = refresh(registry, "failed");
		this.loads = Counter.builder("catalog.cache.loads")
			.description("Answers loaded from PostgreSQL by the response cache (misses, refreshes, bypasses)")
			.register(registry);
		this.lockContention = Counter.builder("catalog.cache.lock.contention")
			.description("Refreshes or misses that found another instance already loading the key")
			.register(registry);
		this.redisErrors = Counter.builder("catalog.cache.redis.errors")
			.description("Redis commands that failed or timed out")
			.register(registry);
		this.entrySizes = DistributionSummary.builder("catalog.cache.entry.size")
			.description("Size of the entries written to Redis")
			.baseUnit("bytes")
			.register(registry);
	}

	private static Counter request(MeterRegistry registry, String result) {
		return Counter.builder("catalog.cache.requests")
			.description("Cacheable reads by where their answer came from")
			.tag("result", result)
			.register(registry);
	}

	private static Counter refresh(MeterRegistry registry, String outcome) {
		return Counter.builder("catalog.cache.refreshes")
			.description("Background refreshes of stale (or early-expiring) entries")
			.tag("outcome", outcome)
			.register(registry);
	}

}
