package dev.catalog.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's Redis client ({@code catalog.redis.*}). Where Redis is stays Spring Boot's
 * {@code spring.data.redis.url}.
 *
 * @param commandTimeout bound on each Redis command, from when it is written until its reply
 * is decoded; a command past it fails, its read answers from PostgreSQL, and it counts towards
 * the circuit breaker
 * @param connectTimeout bound on opening the connection to Redis
 */
@ConfigurationProperties("catalog.redis")
record RedisClientProperties(Duration commandTimeout, Duration connectTimeout) {

	RedisClientProperties {
		commandTimeout = (commandTimeout != null) ? commandTimeout : Duration.ofSeconds(1);
		connectTimeout = (connectTimeout != null) ? connectTimeout : Duration.ofMillis(500);
		requirePositive("command-timeout", commandTimeout);
		requirePositive("connect-timeout", connectTimeout);
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("catalog.redis." + name + " must be positive, not " + value);
		}
	}

}
