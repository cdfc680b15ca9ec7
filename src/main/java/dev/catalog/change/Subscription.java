package dev.catalog.change;

import java.util.ArrayDeque;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One subscriber's live stream: the changes the feed offers it that pass its filter, after its
 * position, held in a buffer of at most {@code capacity} until the connection takes them.
 * <p>
 * Nothing here blocks the feed: an offer to a full buffer ends this stream instead (the
 * client resumes from the durable log with its last position), so a subscriber that stops
 * reading costs at most {@code capacity} changes of memory and never delays the others.
 * The buffer grows with what it holds; an idle subscription holds an empty deque. A stream
 * begins with a heartbeat.
 */
final class Subscription {

	/** Sent when nothing else is waiting, so that proxies keep an idle stream open. */
	static final Object HEARTBEAT = new Object();

	private final int capacity;

	private final Predicate<Change> filter;

	private final Runnable onLag;

	private final ArrayDeque<Object> buffer = new ArrayDeque<>(2);

	private @Nullable FluxSink<Object> sink;

	private long demand;

	private final Position start;

	private Position last;

	private boolean ended;

	/** Fell behind before its stream was subscribed to: that stream ends at once. */
	private boolean lagged;

	Subscription(Position after, int capacity, Predicate<Change> filter, Runnable onLag) {
		this.start = after;
		this.last = after;
		this.capacity = capacity;
		this.filter = filter;
		this.onLag = onLag;
		// sent as soon as the stream is open: its response starts at once, and the client knows
		// that it gets every change from then on
		this.buffer.add(HEARTBEAT);
	}

	/**
	 * The changes after the subscription's position, then ends if it falls behind. Subscribe
	 * once.
	 */
	Flux<Object> flux() {
		// IGNORE: this class never sends beyond the demand it counts, so the sink needs no queue of its own
		return Flux.create((sink) -> {
			boolean lost;
			synchronized (this) {
				this.sink = sink;
				lost = this.lagged;
			}
			sink.onRequest(this::requested);
			sink.onDispose(() -> {
				synchronized (this) {
					this.ended = true;
					this.buffer.clear();
				}
			});
			if (lost) {
				sink.complete();
			}
			else {
				drain();
			}
		}, FluxSink.OverflowStrategy.IGNORE);
	}

	/** The position it was made at: it gets the changes after it. */
	Position start() {
		return this.start;
	}

	/** Skips what the subscriber already has: positions up to {@code position}. */
	synchronized void skipThrough(Position position) {
		if (position.isAfter(this.last)) {
			this.last = position;
		}
		this.buffer.removeIf((item) -> item instanceof Change change && !change.position().isAfter(position));
	}

	/** Offers a change; one at or before the subscription's position is dropped. */
	void offer(Change change) {
		boolean lagging = false;
		synchronized (this) {
			if (this.ended || !change.position().isAfter(this.last)) {
				return;
			}
			this.last = change.position();
			if (!this.filter.test(change)) {
				return;
			}
			if (this.buffer.size() >= this.capacity) {
				this.ended = true;
				this.lagged = true;
				this.buffer.clear();
				lagging = true;
			}
			else {
				this.buffer.add(change);
			}
		}
		if (lagging) {
			this.onLag.run();
			FluxSink<Object> sink = this.sink;
			if (sink != null) {
				sink.complete();
			}
			return;
		}
		drain();
	}

	/** Queues a heartbeat if nothing is waiting to be sent. */
	void heartbeat() {
		synchronized (this) {
			if (this.ended || !this.buffer.isEmpty()) {
				return;
			}
			this.buffer.add(HEARTBEAT);
		}
		drain();
	}

	private void requested(long n) {
		synchronized (this) {
			this.demand = (this.demand + n < 0) ? Long.MAX_VALUE : this.demand + n;
		}
		drain();
	}

	private synchronized void drain() {
		FluxSink<Object> sink = this.sink;
		if (sink == null) {
			return;
		}
		while (this.demand > 0 && !this.buffer.isEmpty() && !sink.isCancelled()) {
			if (this.demand != Long.MAX_VALUE) {
				this.demand--;
			}
			sink.next(this.buffer.poll());
		}
	}

}
