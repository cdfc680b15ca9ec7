package dev.catalog.cache;

import java.time.Clock;

import dev.catalog.db.Replicas;
import dev.catalog.web.SelfRequests;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	CacheMetrics cacheMetrics(MeterRegistry registry) {
		return new CacheMetrics(registry);
	}

	/**
	 * Opens after half of at least 4 of the last 10 Redis commands failed, then lets 2 commands
	 * through after {@code catalog.cache.circuit-breaker-wait}. Commands already fail after the
	 * command timeout, so slowness needs no separate rule.
	 */
	@Bean
	CircuitBreaker redisCircuitBreaker(CacheProperties properties) {
		return CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(10)
			.minimumNumberOfCalls(4)
			.failureRateThreshold(50)
			.waitDurationInOpenState(properties.circuitBreakerWait())
			.permittedNumberOfCallsInHalfOpenState(2)
			// reads look at the state before spending a SQL statement on a generation check, so
			// the breaker must leave OPEN by itself rather than on the next attempted call
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.build());
	}

	/** Starts out of sync; a lost Redis connection puts it out of sync again. */
	@Bean
	RedisSync redisSync(RedisConnection redis) {
		RedisSync sync = new RedisSync();
		// a Redis that dropped the connection (or a cluster that failed over) may have restarted
		// with older data, lost a generation advance or missed a generation change: fold
		// PostgreSQL's generation in, and advance, before serving from it again
		redis.onDisconnected(sync::redisMayHaveLostData);
		return sync;
	}

	@Bean
	CacheStore cacheStore(RedisConnection redis, CircuitBreaker redisCircuitBreaker, CacheProperties properties,
			CacheMetrics metrics, RedisSync sync, RedisClientProperties client) {
		return new CacheStore(redis, redisCircuitBreaker, properties.keyPrefix(), metrics, sync,
				redis.cluster() ? client.generationShards() : 1, redis.cluster());
	}

	@Bean(destroyMethod = "stop")
	CatalogGenerations catalogChanges(CacheStore store, DatabaseClient database, RedisSync sync,
			CacheProperties properties) {
		return new CatalogGenerations(store, database, sync, properties.loadTimeout(), properties.circuitBreakerWait());
	}

	@Bean
	SwrLoader swrLoader(CacheProperties properties, CacheStore store, CatalogGenerations generations,
			CacheMetrics metrics, RedisSync sync, Clock clock) {
		NearCache near = new NearCache(store, sync, clock, properties.nearCacheSize().toBytes());
		// which failures let an entry answer on error depends on what they mean in HTTP (a wrong
		// request or an outage), so the HTTP face decides
		return new SwrLoader(properties, store, near, generations, metrics, clock, ResponseCache::isOutage);
	}

	/** Without br (and with a warning) if the native Brotli library does not load here. */
	@Bean
	Compression compression(CompressionProperties properties, CacheMetrics metrics) {
		return new Compression(properties, metrics, Compression::brotliLoads);
	}

	@Bean
	ResponseCache responseCache(JsonMapper json, CacheProperties properties, SwrLoader loader,
			Compression compression, CacheMetrics metrics, Clock clock, Replicas replicas) {
		return new ResponseCache(json, properties, loader, compression, metrics, clock, replicas);
	}

	@Bean
	StreamReads streamReads(CacheStore store, Replicas replicas, CacheProperties properties) {
		return new StreamReads(store, replicas, properties.loadTimeout().dividedBy(2));
	}

	@Bean
	CacheWarmUp cacheWarmUp(CacheProperties properties, ObjectProvider<WarmUpPath> paths, SelfRequests self) {
		return new CacheWarmUp(properties, paths.orderedStream().toList(), self);
	}

}
