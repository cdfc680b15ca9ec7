package dev.catalog.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether Redis's generation may lag behind the writes recorded in PostgreSQL, on this
 * instance's knowledge. Anything that may have left Redis behind (a Redis command that failed,
 * a lost connection, a write Redis could not be told of) marks it out of sync; it is in sync
 * again once PostgreSQL's generation has been folded in by a fold-in that started after the
 * last mark ({@link CatalogGenerations#ready()}). It starts out of sync, so every instance
 * folds in before its first read from Redis.
 * <p>
 * Shared by whoever notices (the store, the connection, the writes) and whoever folds in, so
 * neither needs the other.
 */
final class RedisSync {

	/** Advanced by every mark; {@link #synced} catches up. */
	private final AtomicLong epoch = new AtomicLong(1);

	private final AtomicLong synced = new AtomicLong(0);

	/** Redis may have missed a change or lost data: fold PostgreSQL's generation in before serving from it. */
	void redisMayHaveMissedChanges() {
		this.epoch.incrementAndGet();
	}

	boolean inSync() {
		return this.synced.get() == this.epoch.get();
	}

	/** Taken before a fold-in starts, and passed to {@link #syncedUpTo} when it succeeded. */
	long epoch() {
		return this.epoch.get();
	}

	/** A fold-in that started at {@code epoch} succeeded: marks made before it are accounted for. */
	void syncedUpTo(long epoch) {
		this.synced.accumulateAndGet(epoch, Math::max);
	}

}
