package dev.catalog.artifact;

import java.util.List;

import dev.catalog.system.Cursor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A whole artifact list as a stream, read in keyset chunks: one statement per chunk, the
 * connection returned to the pool as soon as a chunk is read, and the next chunk read only
 * when the subscriber has asked for the items of the one before. Memory holds at most about
 * two chunks, however long the list and however slow the reader.
 */
final class ArtifactStream {

	/** Reads up to {@code limit} items after a position; the order is the list's. */
	@FunctionalInterface
	interface PageSource {

		Mono<List<ArtifactSummary>> fetch(Cursor after, int limit);

	}

	private record Chunk(List<ArtifactSummary> items, Cursor next, long remaining) {

	}

	private ArtifactStream() {
	}

	/**
	 * @param after where to start, or {@code null} for the beginning
	 * @param max the most items to emit ({@link Long#MAX_VALUE} for all)
	 * @param chunkSize items per statement
	 */
	static Flux<ArtifactSummary> of(PageSource source, Cursor after, long max, int chunkSize) {
		return chunk(source, after, max, chunkSize)
			.expand((chunk) -> (chunk.next() == null) ? Mono.empty()
					: chunk(source, chunk.next(), chunk.remaining(), chunkSize))
			.concatMapIterable(Chunk::items, 1);
	}

	private static Mono<Chunk> chunk(PageSource source, Cursor after, long remaining, int chunkSize) {
		int size = (int) Math.min(chunkSize, remaining);
		return source.fetch(after, size).map((items) -> {
			long left = remaining - items.size();
			boolean more = items.size() == size && left > 0;
			ArtifactSummary last = items.isEmpty() ? null : items.get(items.size() - 1);
			return new Chunk(items, more ? new Cursor(last.position(), last.id()) : null, left);
		});
	}

}
