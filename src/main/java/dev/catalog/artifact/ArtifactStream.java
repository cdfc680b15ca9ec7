package dev.catalog.artifact;

import java.util.ArrayDeque;
import java.util.List;

import dev.catalog.web.Cursor;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A whole artifact list as a stream, read in keyset chunks: one statement per chunk, the
 * connection given back as soon as the chunk is read, and the next chunk read only once the
 * subscriber has taken every item of the one before and asks for more. A subscriber that stops
 * asking holds no connection and at most one chunk in memory, however long it pauses and
 * however long the list is.
 * <p>
 * The pacing is explicit rather than left to operator prefetch: a database read takes its
 * connection when subscribed, so a chunk subscribed to ahead of demand would hold one idle for
 * as long as the reader pauses.
 */
final class ArtifactStream {

	/** Reads up to {@code limit} items after a position; the order is the list's. */
	@FunctionalInterface
	interface PageSource {

		Mono<List<ListedArtifact>> fetch(@Nullable Cursor after, int limit);

	}

	private ArtifactStream() {
	}

	/**
	 * @param after where to start, or {@code null} for the beginning
	 * @param max the most items to emit ({@link Long#MAX_VALUE} for all)
	 * @param chunkSize items per statement
	 */
	static Flux<ListedArtifact> of(PageSource source, @Nullable Cursor after, long max, int chunkSize) {
		return Flux.create((sink) -> new Pump(sink, source, after, max, chunkSize).start());
	}

	/** One subscriber's stream: a buffer of at most one chunk and the position after it. */
	private static final class Pump {

		private final FluxSink<ListedArtifact> sink;

		private final PageSource source;

		private final int chunkSize;

		private final ArrayDeque<ListedArtifact> buffer = new ArrayDeque<>();

		private @Nullable Cursor after;

		private long remaining;

		private boolean exhausted;

		private boolean reading;

		private @Nullable Disposable read;

		/**
		 * Items the subscriber asked for and has not been sent. Counted here rather than read
		 * from the sink, whose own count only drops once its buffer has passed items on: read
		 * from there, it would let a chunk be read ahead of demand.
		 */
		private long demand;

		Pump(FluxSink<ListedArtifact> sink, PageSource source, @Nullable Cursor after, long max, int chunkSize) {
			this.sink = sink;
			this.source = source;
			this.after = after;
			this.remaining = max;
			this.chunkSize = chunkSize;
		}

		void start() {
			this.sink.onRequest(this::requested);
			this.sink.onDispose(this::cancel);
		}

		private void requested(long n) {
			synchronized (this) {
				this.demand = (this.demand + n < 0) ? Long.MAX_VALUE : this.demand + n;
			}
			drain();
		}

		private synchronized void cancel() {
			if (this.read != null) {
				this.read.dispose();
			}
			this.buffer.clear();
		}

		private synchronized void drain() {
			while (this.demand > 0 && !this.buffer.isEmpty() && !this.sink.isCancelled()) {
				if (this.demand != Long.MAX_VALUE) {
					this.demand--;
				}
				this.sink.next(this.buffer.poll());
			}
			if (!this.buffer.isEmpty() || this.reading || this.sink.isCancelled()) {
				return;
			}
			if (this.exhausted || this.remaining <= 0) {
				this.sink.complete();
			}
			else if (this.demand > 0) {
				readNextChunk();
			}
		}

		/**
		 * Reads one row more than it will emit when the stream may go on, so that the last
		 * chunk is known to be the last without another statement.
		 */
		private void readNextChunk() {
			int size = (int) Math.min(this.chunkSize, this.remaining);
			boolean mayGoOn = this.remaining > size;
			this.reading = true;
			this.read = this.source.fetch(this.after, mayGoOn ? size + 1 : size)
				.subscribe((rows) -> received(rows, size, mayGoOn), this::failed);
		}

		private void received(List<ListedArtifact> rows, int size, boolean mayGoOn) {
			synchronized (this) {
				List<ListedArtifact> items = (rows.size() > size) ? rows.subList(0, size) : rows;
				this.exhausted = !(mayGoOn && rows.size() > size);
				this.remaining -= items.size();
				if (!items.isEmpty()) {
					this.after = items.get(items.size() - 1).cursor();
				}
				this.buffer.addAll(items);
				this.reading = false;
			}
			drain();
		}

		private void failed(Throwable failure) {
			this.sink.error(failure);
		}

	}

}
