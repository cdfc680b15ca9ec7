package dev.catalog.cache;

import java.time.Duration;
import dev.catalog.db.Replicas;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where the pages of a list stream (NDJSON, SSE) are read: on a replica when one is configured,
 * with the guarantees of a cached page and one more.
 * <p>
 * Read-your-writes as for the cache: the WAL position of the last write the cache knows of
 * (stored in Redis beside the generation of the list's shard) is read once per stream, when its
 * first page is read, and every page's statement requires the replica to have replayed that far.
 * Feed order: every page's statement also requires the replica's snapshot to hold the commit
 * that the stream's feed position covers ({@code dev.catalog.db.FeedHead.Point}), so that
 * following the feed from the {@code end} event's position misses nothing the stream did not
 * show. A page whose replica is behind, down or slow runs on the primary (one page at a time:
 * the next may go to a replica again). Redis unavailable: no write position is known, so every
 * page runs on the primary, as a bypassed read does.
 */
public final class StreamReads {

	private final CacheStore store;

	private final Replicas replicas;

	private final Duration timeout;

	StreamReads(CacheStore store, Replicas replicas, Duration timeout) {
		this.store = store;
		this.replicas = replicas;
		this.timeout = timeout;
	}

	/**
	 * How one stream reads its pages.
	 * @param key the list's cache key prefix (picks the generation shard whose write position
	 * counts)
	 * @param commit the last feed commit the stream's feed position covers; 0 for none
	 */
	public Route forStream(String key, long commit) {
		if (!this.replicas.configured()) {
			return new Route(null, commit);
		}
		return new Route(Mono.defer(() -> this.store.generation(this.store.shard(key)))
			.map(CacheStore.Lookup::walPosition)
			.defaultIfEmpty(0L)
			.onErrorReturn(-1L)
			.cache(), commit);
	}

	/** One stream's page reads: the write position is read once, by the first page. */
	public final class Route {

		private final @Nullable Mono<Long> needed;

		private final long commit;

		private Route(@Nullable Mono<Long> needed, long commit) {
			this.needed = needed;
			this.commit = commit;
		}

		/** The page's read, routed as {@link StreamReads} describes. */
		public <T> Mono<T> read(Mono<T> page) {
			if (this.needed == null) {
				return page;
			}
			return this.needed.flatMap((wal) -> (wal < 0) ? page
					: StreamReads.this.replicas.read(page, wal, this.commit, StreamReads.this.timeout));
		}

	}

}
