package dev.catalog.cache;

import java.time.Duration;

import dev.catalog.web.SharedBuckets;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Rate-limit buckets in Redis, shared by every instance: Bucket4j's Lettuce integration
 * (compare-and-swap on one key per client and policy) on the service's one Redis connection.
 * A bucket's key expires once the bucket would be full again, so idle clients cost Redis
 * nothing. Each decision is bounded by the command timeout as a whole; past it, or while Redis
 * cannot be reached, it fails and the caller limits per instance.
 */
class RedisRateLimitBuckets implements SharedBuckets {

	private final RedisConnection redis;

	private final String prefix;

	private final Duration timeout;

	private volatile @Nullable Managed managed;

	RedisRateLimitBuckets(RedisConnection redis, String keyPrefix, Duration timeout) {
		this.redis = redis;
		this.prefix = keyPrefix + "rate:";
		this.timeout = timeout;
	}

	@Override
	public Mono<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
		// the decision as a whole (a read, a compare-and-swap, again where another instance won
		// the race) within the command timeout; a command failing after that is not reported
		// as a dropped error
		return this.redis
			.execute((commands) -> RedisConnection.settled(manager(commands).builder()
				.build(this.prefix + key, configuration)
				.tryConsumeAndReturnRemaining(1)))
			.timeout(this.timeout)
			.flatMap(RedisConnection::<ConsumptionProbe>outcome);
	}

	/** One proxy manager per connection (Lettuce keeps the same one across reconnects). */
	@SuppressWarnings("unchecked")
	private AsyncProxyManager<String> manager(RedisClusterAsyncCommands<String, byte[]> commands) {
		Managed current = this.managed;
		if (current == null || current.commands() != commands) {
			// one key per bucket, so a Redis Cluster serves it like a standalone Redis
			Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder = (commands instanceof RedisAdvancedClusterAsyncCommands<String, byte[]> cluster)
					? Bucket4jLettuce.casBasedBuilder(cluster)
					: Bucket4jLettuce.casBasedBuilder((RedisAsyncCommands<String, byte[]>) commands);
			current = new Managed(commands, builder
				.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
				.build()
				.asAsync());
			this.managed = current;
		}
		return current.manager();
	}

	private record Managed(RedisClusterAsyncCommands<String, byte[]> commands, AsyncProxyManager<String> manager) {

	}

}
