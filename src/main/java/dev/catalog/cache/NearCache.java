package dev.catalog.cache;

import java.time.Clock;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Copies of fresh entries kept in this instance, so that a hit reads only the generation (and
 * the WAL position of the last write, for refreshes on a replica) from Redis (a few bytes, in a read shared by every request that asks at the same time:
 * {@link CoalescedRead}) instead of the whole entry in every coding.
 * <p>
 * <b>Same guarantees as reading Redis.</b> A copy answers only while the generation Redis has
 * now, read after the request came, is the copy's own (an entry is never served in another
 * generation, and writes advance the generation in Redis before they answer: a write is seen
 * here as soon as it returns, on every instance); only while the copy is fresh (past its fresh
 * window Redis may hold a newer copy another instance refreshed, so the entry is read from Redis
 * again and a stale copy never starts a second revalidation); and only while nothing said Redis
 * may have lost or missed data since the copy was read ({@link RedisSync}: after a restart or a
 * failover the same generation number can stand for other data). Whatever the copy does not
 * answer goes to Redis as before, one {@code MGET}.
 * <p>
 * Bounded by the bytes of the copies ({@code catalog.cache.near-cache-size}, least recently
 * and least frequently used first out); 0 keeps no copy.
 */
final class NearCache {

	/** A copy, and the sync epoch it was read in. */
	private record Copy(CacheEntry entry, long epoch) {
	}

	private final CacheStore store;

	private final RedisSync sync;

	private final Clock clock;

	private final @Nullable Cache<String, Copy> copies;

	private final CoalescedRead<CacheStore.Lookup>[] generations;

	@SuppressWarnings("unchecked")
	NearCache(CacheStore store, RedisSync sync, Clock clock, long maxBytes) {
		this.store = store;
		this.sync = sync;
		this.clock = clock;
		this.copies = (maxBytes <= 0) ? null : Caffeine.newBuilder()
			.maximumWeight(maxBytes)
			.<String, Copy>weigher((key, copy) -> copy.entry().data().length + key.length() * 2)
			.build();
		this.generations = new CoalescedRead[store.shards()];
		for (int shard = 0; shard < this.generations.length; shard++) {
			int index = shard;
			this.generations[shard] = new CoalescedRead<>(() -> store.generation(index));
		}
	}

	/**
	 * What Redis holds for the key, as {@link CacheStore#lookup}; from the copy kept here when
	 * the generation read now is the copy's.
	 */
	Mono<CacheStore.Lookup> lookup(String key) {
		if (this.copies == null) {
			return this.store.lookup(key);
		}
		Copy copy = this.copies.getIfPresent(key);
		if (copy == null || copy.epoch() != this.sync.epoch() || this.clock.millis() >= copy.entry().freshUntil()) {
			return read(key);
		}
		return this.generations[this.store.shard(key)].read()
			.flatMap((current) -> (current.generation() == copy.entry().generation())
					? Mono.just(new CacheStore.Lookup(current.generation(), copy.entry(), false, current.walPosition()))
					: read(key))
			// no generation in Redis: the full lookup creates it
			.switchIfEmpty(Mono.defer(() -> read(key)));
	}

	private Mono<CacheStore.Lookup> read(String key) {
		long epoch = this.sync.epoch();
		return this.store.lookup(key).doOnNext((lookup) -> {
			CacheEntry current = lookup.current();
			if (current != null && this.copies != null) {
				this.copies.put(key, new Copy(current, epoch));
			}
		});
	}

}
