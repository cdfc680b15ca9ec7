package dev.catalog.db;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The change feed continuing another stream in the same response (an artifact list with
 * {@code follow=true}: its snapshot, then the changes from the position taken before the
 * snapshot's first read).
 */
public interface FeedStreams {

	/**
	 * Joins the feed now, before the snapshot is read: at this instance's head (the position
	 * {@link FeedHead} gives), or after {@code after}, a position a client received and
	 * resumes from. The subscription counts against the instance's maximum at once.
	 * @param after a feed position to resume after, or {@code null} for the head
	 * @param collection only changes concerning this collection (as the feed's filter)
	 * @param type only artifact events of artifacts of this type (as the feed's filter)
	 * @param lines NDJSON lines rather than Server-Sent Events
	 * @return fails with 503 when the instance serves its maximum of subscribers, 400 when
	 * {@code after} is no position, 410 (NDJSON) when it is older than the retention
	 */
	Mono<Following> follow(@Nullable String after, @Nullable UUID collection, @Nullable String type, boolean lines);

	/**
	 * A subscription made for a stream that has not reached its feed part yet.
	 *
	 * @param position where the feed part starts (the snapshot's {@code feedPosition})
	 * @param commit the last commit with changes at or before it ({@link FeedHead.Point#commit()}):
	 * a snapshot read on a replica must hold it
	 * @param events the feed after it, encoded; subscribe at most once
	 * @param release ends the subscription whether or not {@code events} was subscribed to (a
	 * stream that fails or is cancelled during its snapshot); safe to run more than once
	 */
	record Following(String position, long commit, Flux<byte[]> events, Runnable release) {

	}

}
