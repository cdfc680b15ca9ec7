package dev.catalog.web;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/**
 * Token buckets that every instance of the service shares (implemented over Redis by the cache
 * layer, which owns the connection to it).
 */
public interface SharedBuckets {

	/**
	 * Takes one token from the bucket named {@code key} (created full with
	 * {@code configuration} if it does not exist); fails, within a bounded time, where the
	 * shared store cannot answer.
	 */
	Mono<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration);

}
