package dev.catalog.artifact;

import dev.catalog.cache.StreamReads;
import dev.catalog.db.FeedHead;
import org.jspecify.annotations.Nullable;

/**
 * What list streams need besides their query: the feed position their {@code end} event hands
 * out, and where their pages are read ({@link StreamReads}: on a replica that holds the commit
 * that position covers, or on the primary).
 */
final class StreamPages {

	private final FeedHead feedHead;

	private final @Nullable StreamReads reads;

	/** @param reads {@code null} to read every page where the source reads it (route slices) */
	StreamPages(FeedHead feedHead, @Nullable StreamReads reads) {
		this.feedHead = feedHead;
		this.reads = reads;
	}

	/**
	 * This instance's feed head; taken before a stream's first read, following the feed from it
	 * misses nothing the stream does not show.
	 */
	FeedHead.@Nullable Point head() {
		return this.feedHead.head();
	}

	/**
	 * The source, each page routed for a stream whose feed position covers {@code commit}.
	 * @param list the list's cache key prefix
	 */
	ArtifactStream.PageSource routed(String list, ArtifactStream.PageSource source, long commit) {
		if (this.reads == null) {
			return source;
		}
		StreamReads.Route route = this.reads.forStream(list, commit);
		return (after, limit) -> route.read(source.fetch(after, limit));
	}

}
