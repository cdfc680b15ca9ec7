package dev.catalog.db;

import org.jspecify.annotations.Nullable;

/**
 * Where this instance's change feed stands, for reads that hand a client a position to follow
 * from (the {@code end} event of an artifact list stream).
 * <p>
 * Taken before a snapshot's first read, the position is one from which following the feed
 * misses no change committed during or after the snapshot: every change after it is still to
 * come on the feed (some may also be in the snapshot, which is harmless to apply twice). On a
 * replica that holds only if the snapshot holds {@link Point#commit()}: every change before the
 * position belongs to that commit or an earlier one ({@link Replicas#read(reactor.core.publisher.Mono,
 * long, long, java.time.Duration)} requires it). Costs no statement.
 */
@FunctionalInterface
public interface FeedHead {

	/** The head, or {@code null} while the feed is starting. */
	@Nullable Point head();

	/**
	 * A feed position and the last commit it covers.
	 *
	 * @param position the feed's opaque position
	 * @param commit the number of the last commit with changes at or before the position (0:
	 * none): a snapshot holding it holds every change up to the position
	 */
	record Point(String position, long commit) {

	}

}
