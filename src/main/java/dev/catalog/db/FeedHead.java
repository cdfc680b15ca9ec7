package dev.catalog.db;

import org.jspecify.annotations.Nullable;

/**
 * Where this instance's change feed stands, for reads that hand a client a position to follow
 * from (the {@code end} event of an artifact list stream).
 * <p>
 * Taken before a snapshot's first read, the position is one from which following the feed
 * misses no change committed during or after the snapshot: every change after it is still to
 * come on the feed (some may also be in the snapshot, which is harmless to apply twice).
 * Costs no statement.
 */
@FunctionalInterface
public interface FeedHead {

	/** The position as the feed's opaque string, or {@code null} while the feed is starting. */
	@Nullable String position();

}
