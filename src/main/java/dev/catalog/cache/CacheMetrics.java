package dev.catalog.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of the response cache: {@code catalog.cache.requests} by {@code result}
 * (hit, stale, stale-if-error, miss, bypass), {@code catalog.cache.refreshes} by
 * {@code outcome} (started, completed, failed), {@code catalog.cache.loads} (PostgreSQL loads
 * made through the cache), {@code catalog.cache.lock.contention} (a refresh or miss found
 * another instance holding the key's lock), {@code catalog.cache.entry.size} (bytes stored),
 * {@code catalog.cache.redis.errors}, and by {@code encoding} (gzip, br)
 * {@code catalog.cache.compressions} (each compression of an answer and the time it took: when
 * an answer is loaded into the cache, or sent without being stored; never on a hit) and
 * {@code catalog.cache.compressed.size} (the bytes it gave).
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

	private final Map<ContentCoding, Timer> compressions = new EnumMap<>(ContentCoding.class);

	private final Map<ContentCoding, DistributionSummary> compressedSizes = new EnumMap<>(ContentCoding.class);

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
		for (ContentCoding coding : ContentCoding.values()) {
			if (coding != ContentCoding.IDENTITY) {
				this.compressions.put(coding, Timer.builder("catalog.cache.compressions")
					.description("Compressions of answers (loads into the cache and answers not stored), never on a hit")
					.tag("encoding", coding.token())
					.register(registry));
				this.compressedSizes.put(coding, DistributionSummary.builder("catalog.cache.compressed.size")
					.description("Size of answers after compression")
					.tag("encoding", coding.token())
					.baseUnit("bytes")
					.register(registry));
			}
		}
	}

	/** Records one compression into {@code coding} that gave {@code size} bytes in {@code time}. */
	void compressed(ContentCoding coding, int size, long time, TimeUnit unit) {
		Timer timer = this.compressions.get(coding);
		DistributionSummary sizes = this.compressedSizes.get(coding);
		if (timer != null && sizes != null) {
			timer.record(time, unit);
			sizes.record(size);
		}
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
