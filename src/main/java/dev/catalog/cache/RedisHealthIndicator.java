package dev.catalog.cache;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * Reports Redis as {@code redis} in {@code /actuator/health}. Redis being down degrades the
 * service (reads bypass the cache) but does not stop it, so this indicator is not part of the
 * readiness group.
 */
class RedisHealthIndicator implements ReactiveHealthIndicator {

	private final RedisConnection redis;

	RedisHealthIndicator(RedisConnection redis) {
		this.redis = redis;
	}

	@Override
	public Mono<Health> health() {
		return this.redis.execute((commands) -> commands.ping())
			.timeout(Duration.ofSeconds(1))
			.map((pong) -> Health.up().withDetail("ping", pong).build())
			.onErrorResume((ex) -> Mono.just(Health.down(ex).build()));
	}

}
