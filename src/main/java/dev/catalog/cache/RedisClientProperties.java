package dev.catalog.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's Redis client ({@code catalog.redis.*}). Where Redis is stays Spring Boot's
 * {@code spring.data.redis.*} ({@link RedisServerProperties}).
 *
 * @param commandTimeout bound on each Redis command, from when it is written until its reply
 * is decoded; a command past it fails, its read answers from PostgreSQL, and it counts towards
 * the circuit breaker
 * @param connectTimeout bound on opening the connection to Redis
 * @param topologyRefresh on a Redis Cluster, how often the client re-reads the topology even
 * when nothing made it look (redirections, reconnections and unknown nodes make it look at once)
 * @param generationShards on a Redis Cluster, how many copies of the catalog generation exist,
 * each in its own hash slot beside the entries it guards, so that reads spread over the
 * cluster's primaries instead of all reaching the one that holds a single generation key; a
 * write advances every copy. A standalone or Sentinel-watched Redis always has one
 */
@ConfigurationProperties("catalog.redis")
record RedisClientProperties(Duration commandTimeout, Duration connectTimeout, Duration topologyRefresh,
		Integer generationShards) {

	RedisClientProperties {
		commandTimeout = (commandTimeout != null) ? commandTimeout : Duration.ofSeconds(1);
		connectTimeout = (connectTimeout != null) ? connectTimeout : Duration.ofMillis(500);
		requirePositive("command-timeout", commandTimeout);
		topologyRefresh = (topologyRefresh != null) ? topologyRefresh : Duration.ofSeconds(10);
		generationShards = (generationShards != null) ? generationShards : 16;
		requirePositive("connect-timeout", connectTimeout);
		requirePositive("topology-refresh", topologyRefresh);
		if (generationShards < 1 || generationShards > 1024) {
			throw new IllegalArgumentException(
					"catalog.redis.generation-shards must be between 1 and 1024, not " + generationShards);
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("catalog.redis." + name + " must be positive, not " + value);
		}
	}

}
