package dev.catalog.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	/**
	 * Reconnection attempts back off exponentially but never more than a second apart, so
	 * caching resumes within about a second of Redis coming back (Lettuce's default waits up
	 * to 30 s).
	 */
	@Bean(destroyMethod = "shutdown")
	ClientResources redisClientResources() {
		return DefaultClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
	}

	@Bean(destroyMethod = "close")
	RedisConnection redisConnection(ClientResources resources, @Value("${spring.data.redis.url}") String url,
			RedisClientProperties properties) {
		RedisURI uri = RedisURI.create(url);
		uri.setTimeout(properties.commandTimeout());
		RedisClient client = RedisClient.create(resources);
		client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			// fail fast instead of buffering commands while disconnected: a read must never
			// wait on a Redis that is down
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
			.timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
			.build());
		return new RedisConnection(client, uri);
	}

	/** The rate limits' buckets, shared by every instance, on the same connection and timeout. */
	@Bean
	RedisRateLimitBuckets redisRateLimitBuckets(RedisConnection redis, CacheProperties cache,
			RedisClientProperties properties) {
		return new RedisRateLimitBuckets(redis, cache.keyPrefix(), properties.commandTimeout());
	}

	@Bean
	RedisHealthIndicator redisHealthIndicator(RedisConnection redis) {
		return new RedisHealthIndicator(redis);
	}

}
