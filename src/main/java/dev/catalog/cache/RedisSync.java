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

	/** Advanced whenever Redis may have lost data it acknowledged; {@link #lossesHandled} catches up. */
	private final AtomicLong losses = new AtomicLong();

	private final AtomicLong lossesHandled = new AtomicLong();

	/** Redis may have missed a change or lost data: fold PostgreSQL's generation in before serving from it. */
	void redisMayHaveMissedChanges() {
		this.epoch.incrementAndGet();
	}

	/**
	 * Redis may have lost writes it acknowledged (it restarted, or a replica that had not yet
	 * received the last generation change was promoted): the next fold-in advances the
	 * generation even if PostgreSQL's did not move, since a lost advance would otherwise let
	 * entries from before the write match again.
	 */
	void redisMayHaveLostData() {
		this.losses.incrementAndGet();
		redisMayHaveMissedChanges();
	}

	/** Taken before a fold-in starts: whether it must advance the generation regardless. */
	long losses() {
		return this.losses.get();
	}

	boolean lossUnhandled(long losses) {
		return losses > this.lossesHandled.get();
	}

	/** A fold-in that started at {@code losses} advanced the generation. */
	void lossesHandledUpTo(long losses) {
		this.lossesHandled.accumulateAndGet(losses, Math::max);
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
