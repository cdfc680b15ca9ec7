package dev.catalog.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The shared response cache ({@code catalog.cache.*}). The windows follow RFC 5861: an entry
 * is fresh for {@code fresh}; after that it may be served while it is revalidated for
 * {@code stale}, and served while PostgreSQL fails for {@code staleIfError}, both counted from
 * the end of the fresh window.
 *
 * @param enabled whether Redis is used at all; {@code false} sends every read to PostgreSQL
 * @param fresh how long an entry is served as it is
 * @param stale how long after {@code fresh} an entry is served at once while one instance
 * refreshes it in the background
 * @param staleIfError how long after {@code fresh} an entry may answer while PostgreSQL is
 * down; also how long the entry lives in Redis (at least {@code stale})
 * @param keyPrefix prefix of every Redis key the service writes
 * @param loadTimeout bound on a request that has to load from PostgreSQL (waiting for another
 * instance's load included); past it the request gets 503 with {@code Retry-After}
 * @param refreshTimeout bound on a background refresh, and how long its Redis lock lives
 * @param missWait how long a miss that finds another instance loading the same key polls
 * for that instance's result before loading itself
 * @param earlyRefreshBeta XFetch's beta: how eagerly hot fresh entries are refreshed before
 * they go stale (0 turns early refresh off; 1 is the paper's default)
 * @param circuitBreakerWait how long reads stop trying Redis after it failed repeatedly
 * @param warmUp whether the reads the features registered as {@link WarmUpPath}s are loaded
 * at start-up
 * @param warmUpWait how long start-up waits for the warm-up before going on without it
 * @param warmUpRequests at most how many requests of the warm-up paths (hits, in every content
 * coding) the instance sends itself after loading them and before it reports ready, so that the
 * JIT has compiled the hit path before a load balancer sends it traffic; they stop earlier once
 * the JIT has gone quiet ({@link HitPathWarmUp}) (0: none)
 * @param warmUpRequestsWait at most how long start-up spends on those requests
 * @param nearCacheSize how many bytes of fresh entries each instance keeps a copy of, so that a
 * hit reads only the generation from Redis ({@link NearCache}); 0 keeps none
 */
@ConfigurationProperties("catalog.cache")
public record CacheProperties(Boolean enabled, Duration fresh, Duration stale, Duration staleIfError,
		String keyPrefix, Duration loadTimeout, Duration refreshTimeout, Duration missWait, Double earlyRefreshBeta,
		Duration circuitBreakerWait, Boolean warmUp, Duration warmUpWait, Integer warmUpRequests,
		Duration warmUpRequestsWait, DataSize nearCacheSize) {

	public CacheProperties {
		enabled = (enabled != null) ? enabled : true;
		fresh = (fresh != null) ? fresh : Duration.ofSeconds(5);
		stale = (stale != null) ? stale : Duration.ofMinutes(5);
		staleIfError = (staleIfError != null) ? staleIfError : Duration.ofHours(1);
		keyPrefix = (keyPrefix != null) ? keyPrefix : "catalog:";
		loadTimeout = (loadTimeout != null) ? loadTimeout : Duration.ofMillis(1500);
		refreshTimeout = (refreshTimeout != null) ? refreshTimeout : Duration.ofSeconds(10);
		missWait = (missWait != null) ? missWait : Duration.ofSeconds(1);
		earlyRefreshBeta = (earlyRefreshBeta != null) ? earlyRefreshBeta : 1.0;
		circuitBreakerWait = (circuitBreakerWait != null) ? circuitBreakerWait : Duration.ofSeconds(5);
		warmUp = (warmUp != null) ? warmUp : true;
		warmUpWait = (warmUpWait != null) ? warmUpWait : Duration.ofSeconds(3);
		warmUpRequests = (warmUpRequests != null) ? warmUpRequests : 300_000;
		warmUpRequestsWait = (warmUpRequestsWait != null) ? warmUpRequestsWait : Duration.ofSeconds(60);
		nearCacheSize = (nearCacheSize != null) ? nearCacheSize : DataSize.ofMegabytes(64);
		requirePositive("fresh", fresh);
		requireNotNegative("stale", stale);
		requireNotNegative("stale-if-error", staleIfError);
		requirePositive("load-timeout", loadTimeout);
		requirePositive("refresh-timeout", refreshTimeout);
		requireNotNegative("miss-wait", missWait);
		requirePositive("circuit-breaker-wait", circuitBreakerWait);
		requireNotNegative("warm-up-wait", warmUpWait);
		requireNotNegative("warm-up-requests-wait", warmUpRequestsWait);
		if (nearCacheSize.isNegative()) {
			throw new IllegalArgumentException("catalog.cache.near-cache-size must not be negative");
		}
		if (warmUpRequests < 0) {
			throw new IllegalArgumentException("catalog.cache.warm-up-requests must not be negative");
		}
		if (earlyRefreshBeta < 0) {
			throw new IllegalArgumentException("catalog.cache.early-refresh-beta must not be negative");
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("catalog.cache." + name + " must be positive, not " + value);
		}
	}

	private static void requireNotNegative(String name, Duration value) {
		if (value.isNegative()) {
			throw new IllegalArgumentException("catalog.cache." + name + " must not be negative, not " + value);
		}
	}

	/** How long after the fresh window an entry is kept at all. */
	Duration retention() {
		return (this.staleIfError.compareTo(this.stale) > 0) ? this.staleIfError : this.stale;
	}

	/** {@code Cache-Control} for every cacheable answer. */
	String cacheControl() {
		return "max-age=" + this.fresh.toSeconds() + ", stale-while-revalidate=" + this.stale.toSeconds()
				+ ", stale-if-error=" + this.staleIfError.toSeconds();
	}

}
