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
 * A refusal of the shared buckets is remembered until a token can be back (the probe's time to
 * refill, counted from when the request was sent): until then the client's requests are refused
 * here without asking Redis. That is exact, not an approximation: a bucket only gains tokens by
 * refilling, and other instances' requests only take them, so the shared bucket would refuse
 * every one of those requests too. A client flooding the service then costs Redis one decision
 * per token it gets (or per refill period), not one per request it sends (a refused request
 * costs Bucket4j a GET of the bucket: 426 commands for 400 refused requests, measured).
 * <p>
 * Local buckets and remembered refusals live in maps bounded at {@value #MAX_LOCAL} clients:
 * past it a map is cleared (every client starts with a full local bucket again; refused clients
 * are asked about in Redis again), which errs towards serving.
 */
class ClientBuckets {

	private static final Logger logger = LoggerFactory.getLogger(ClientBuckets.class);

	static final int MAX_LOCAL = 100_000;

	private final @Nullable SharedBuckets shared;

	private final Duration redisRetry;

	private final Map<String, Bucket> local = new ConcurrentHashMap<>();

	/** Clients the shared buckets refused, until {@link System#nanoTime()} when a token can be back. */
	private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

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
		long sent = System.nanoTime();
		Refusal refusal = this.refusals.get(key);
		if (refusal != null) {
			if (sent - refusal.refillAt() < 0) {
				return Mono.just(ConsumptionProbe.rejected(0, refusal.refillAt() - sent, refusal.resetAt() - sent));
			}
			this.refusals.remove(key, refusal);
		}
		return shared.tryConsume(key, configuration).doOnNext((probe) -> {
			if (!probe.isConsumed()) {
				remember(key, new Refusal(sent + probe.getNanosToWaitForRefill(), sent + probe.getNanosToWaitForReset()));
			}
		}).onErrorResume((failure) -> {
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

	private void remember(String key, Refusal refusal) {
		if (this.refusals.size() >= MAX_LOCAL) {
			this.refusals.clear();
		}
		this.refusals.put(key, refusal);
	}

	private ConsumptionProbe local(String key, BucketConfiguration configuration) {
		if (this.local.size() >= MAX_LOCAL) {
			this.local.clear();
		}
		return this.local.computeIfAbsent(key, (k) -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build())
			.tryConsumeAndReturnRemaining(1);
	}

	/** {@link System#nanoTime()} values: when the refused client's next token and its full bucket are due. */
	private record Refusal(long refillAt, long resetAt) {

	}

}
