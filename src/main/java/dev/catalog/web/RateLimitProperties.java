package dev.catalog.web;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-client rate limits ({@code catalog.rate-limit.*}): token buckets shared by every instance
 * through Redis, one per client and policy. A client is its bearer token where it presents one
 * the service accepts, otherwise its address ({@code X-Forwarded-For} counts only on requests
 * that come from one of {@code trustedProxies}).
 *
 * @param enabled whether any limit applies; on by default (a service that any one client can
 * flood is not one to deploy), off in the benchmark, which is one client on purpose
 * @param reads (rate 100, burst 200) GET and HEAD of JSON pages and documents
 * @param streams (rate 2, burst 4) GET of NDJSON or Server-Sent Events
 * @param writes (rate 20, burst 40) POST, PUT, PATCH, DELETE
 * @param maxStreamsPerClient streams one client may have open at once on one instance (0: no
 * limit); one more is a 429 at once
 * @param trustedProxies addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}) of the
 * proxies whose {@code X-Forwarded-For} is believed
 * @param redisRetry after a Redis failure, how long the limits are kept per instance before the
 * shared buckets are tried again
 */
@ConfigurationProperties("catalog.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @Nullable Policy reads,
		@Nullable Policy streams, @Nullable Policy writes, @DefaultValue("16") int maxStreamsPerClient,
		@DefaultValue List<String> trustedProxies, @DefaultValue("5s") Duration redisRetry) {

	public RateLimitProperties {
		reads = Policy.orDefault(reads, 100);
		streams = Policy.orDefault(streams, 2);
		writes = Policy.orDefault(writes, 20);
		if (maxStreamsPerClient < 0) {
			throw new IllegalArgumentException("catalog.rate-limit.max-streams-per-client must not be negative");
		}
		TrustedProxies.of(trustedProxies);
	}

	/**
	 * One policy: a bucket of {@code burst} requests that refills at {@code rate} a second.
	 *
	 * @param rate requests per second per client, at least 1
	 * @param burst the bucket's capacity, at least {@code rate}; twice the rate when not set
	 */
	public record Policy(@Nullable Long rate, @Nullable Long burst) {

		public Policy {
			if (rate != null && rate < 1) {
				throw new IllegalArgumentException("a rate-limit rate must be at least 1, not " + rate);
			}
			if (rate != null && burst != null && burst < rate) {
				throw new IllegalArgumentException(
						"a rate-limit burst must be at least its rate, not " + burst + " < " + rate);
			}
		}

		static Policy orDefault(@Nullable Policy policy, long defaultRate) {
			long rate = (policy != null && policy.rate() != null) ? policy.rate() : defaultRate;
			long burst = (policy != null && policy.burst() != null) ? policy.burst() : 2 * rate;
			return new Policy(rate, Math.max(burst, rate));
		}

		/** Requests per second, once defaults are applied. */
		long perSecond() {
			return (this.rate != null) ? this.rate : 1;
		}

		/** The bucket's capacity, once defaults are applied. */
		long capacity() {
			return (this.burst != null) ? this.burst : perSecond();
		}

	}

}
