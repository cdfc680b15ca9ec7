package dev.catalog.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The token buckets of every client: the {@link SharedBuckets} of all instances where there are
 * some and they answer, otherwise buckets of this instance alone, so that an unreachable Redis
 * turns the shared limit into a per-instance one rather than refusing everyone (or no one).
 * After a failure of the shared buckets, this instance keeps to its own for
 * {@link RateLimitProperties#redisRetry()} before it tries them again, so that a hung Redis
 * costs one command timeout per retry period, not one per request.
 * <p>
 * Local buckets live in a map bounded at {@value #MAX_LOCAL} clients: past it the map is
 * cleared (every client starts with a full bucket again), which errs towards serving.
 */
class ClientBuckets {

	private static final Logger logger = LoggerFactory.getLogger(ClientBuckets.class);

	static final int MAX_LOCAL = 100_000;

	private final @Nullable SharedBuckets shared;

	private final Duration redisRetry;

	private final Map<String, Bucket> local = new ConcurrentHashMap<>();

	private final Counter fallbacks;

	/** {@link System#nanoTime()} from which the shared buckets are tried again (0: now). */
	private volatile long sharedAgainAt;

	ClientBuckets(@Nullable SharedBuckets shared, Duration redisRetry, MeterRegistry registry) {
		this.shared = shared;
		this.redisRetry = redisRetry;
		this.fallbacks = Counter.builder("catalog.rate-limit.local.fallbacks")
			.description("Rate-limit decisions taken per instance because the shared buckets failed")
			.register(registry);
	}

	static BucketConfiguration configuration(RateLimitProperties.Policy policy) {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder()
				.capacity(policy.capacity())
				.refillGreedy(policy.perSecond(), Duration.ofSeconds(1))
				.build())
			.build();
	}

	/** Takes one token of {@code key}'s bucket, shared where possible. */
	Mono<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
		SharedBuckets shared = this.shared;
		if (shared == null || System.nanoTime() - this.sharedAgainAt < 0) {
			return Mono.fromSupplier(() -> local(key, configuration));
		}
		return shared.tryConsume(key, configuration).onErrorResume((failure) -> {
			boolean first = System.nanoTime() - this.sharedAgainAt >= 0;
			this.sharedAgainAt = System.nanoTime() + this.redisRetry.toNanos();
			this.fallbacks.increment();
			// once per outage, not once per request that was waiting on Redis when it failed
			if (first) {
				logger.warn("Shared rate-limit buckets failed ({}); limiting per instance for {}", failure.toString(),
						this.redisRetry);
			}
			return Mono.fromSupplier(() -> local(key, configuration));
		});
	}

	private ConsumptionProbe local(String key, BucketConfiguration configuration) {
		if (this.local.size() >= MAX_LOCAL) {
			this.local.clear();
		}
		return this.local.computeIfAbsent(key, (k) -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build())
			.tryConsumeAndReturnRemaining(1);
	}

}
