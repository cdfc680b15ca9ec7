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

	/**
	 * Reads one chunk, asking for one row more than it emits when the stream may go on, so
	 * that the last chunk is known to be the last without another statement.
	 */
	private static Mono<Chunk> chunk(PageSource source, Cursor after, long remaining, int chunkSize) {
		int size = (int) Math.min(chunkSize, remaining);
		boolean mayGoOn = remaining > size;
		return source.fetch(after, mayGoOn ? size + 1 : size).map((rows) -> {
			List<ArtifactSummary> items = (rows.size() > size) ? rows.subList(0, size) : rows;
			boolean more = mayGoOn && rows.size() > size;
			ArtifactSummary last = items.isEmpty() ? null : items.get(items.size() - 1);
			return new Chunk(items, more ? new Cursor(last.position(), last.id()) : null, remaining - items.size());
		});
	}

}
