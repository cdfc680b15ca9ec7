package dev.catalog.change;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.catalog.db.FeedHead;
import dev.catalog.web.ServiceUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's view of the change feed: one reader for all subscribers.
 * <p>
 * {@link #wake()} (on every notification, on a slow timer, and once the listening connection
 * is back) starts a read unless one is running, in which case that read is followed by one
 * more: reads never overlap, a burst of notifications costs one read per batch, and a read
 * that returned a full batch is followed by the next at once. Each change read is offered, in
 * feed order, to every subscriber; the head moves past it. Subscribers hold no connection: the
 * only statements are this reader's and those of clients catching up from a position.
 */
class ChangeFeed implements FeedHead {

	private static final Logger logger = LoggerFactory.getLogger(ChangeFeed.class);

	private final ChangeLog log;

	private final ChangeProperties properties;

	private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();

	private final AtomicInteger wanted = new AtomicInteger();

	private final Counter lagDisconnects;

	private volatile @Nullable Position head;

	/** Callers of {@link #now()} waiting for the next fence statement, not yet sent. */
	private Sinks.@Nullable One<Position> nextNow;

	private boolean askingNow;

	ChangeFeed(ChangeLog log, ChangeProperties properties, MeterRegistry registry) {
		this.log = log;
		this.properties = properties;
		Gauge.builder("catalog.changes.subscribers", this.subscribers, Set::size)
			.description("Change feed streams open on this instance")
			.register(registry);
		this.lagDisconnects = Counter.builder("catalog.changes.lag.disconnects")
			.description("Change feed streams ended because their subscriber fell a whole buffer behind")
			.register(registry);
	}

	@Override
	public @Nullable Point head() {
		Position position = this.head;
		return (position != null) ? new Point(position.encode(), position.lastCommitCovered()) : null;
	}

	/**
	 * A new live subscription after the current head; it must be {@link #unsubscribe
	 * unsubscribed} when its stream ends.
	 * @throws ServiceUnavailableException when the instance serves its maximum of subscribers,
	 * or the feed has not read its head yet
	 */
	synchronized Subscription subscribe(Predicate<Change> filter) {
		Position at = this.head;
		if (at == null) {
			throw new ServiceUnavailableException("The change feed is starting; try again shortly.",
					Duration.ofSeconds(1), null);
		}
		if (this.subscribers.size() >= this.properties.maxSubscribers()) {
			throw new ServiceUnavailableException(
					"This instance serves its maximum of change feed subscribers; try again shortly or elsewhere.",
					Duration.ofSeconds(5), null);
		}
		Subscription subscription = new Subscription(at, this.properties.buffer(), filter,
				this.lagDisconnects::increment);
		this.subscribers.add(subscription);
		return subscription;
	}

	/**
	 * The position of this moment in the database ({@link ChangeLog#now()}), for a stream that
	 * starts without one. The feed's own head will not do: it is where this instance has read
	 * to, and a change committed just before the request may not have reached it yet (its
	 * notification is on its way), so the new stream would get a change that preceded it.
	 * <p>
	 * Callers arriving together share one statement: each joins the next statement sent after
	 * it asked (never one already under way, which may predate it), so 10,000 streams opening
	 * at once cost a few statements, not 10,000.
	 */
	Mono<Position> now() {
		return Mono.defer(() -> {
			Sinks.One<Position> waiting;
			boolean send = false;
			synchronized (this) {
				if (this.nextNow == null) {
					this.nextNow = Sinks.one();
				}
				waiting = this.nextNow;
				if (!this.askingNow) {
					this.askingNow = true;
					send = true;
				}
			}
			if (send) {
				askNow();
			}
			return waiting.asMono();
		});
	}

	private void askNow() {
		Sinks.One<Position> these;
		synchronized (this) {
			these = this.nextNow;
			this.nextNow = null;
			if (these == null) {
				this.askingNow = false;
				return;
			}
		}
		this.log.now().subscribe((position) -> {
			these.tryEmitValue(position);
			askNow();
		}, (failure) -> {
			these.tryEmitError(failure);
			askNow();
		});
	}

	void unsubscribe(Subscription subscription) {
		this.subscribers.remove(subscription);
	}

	int subscribers() {
		return this.subscribers.size();
	}

	/** Reads what is new, now or right after the read under way. */
	void wake() {
		if (this.wanted.getAndIncrement() == 0) {
			read();
		}
	}

	void heartbeat() {
		for (Subscription subscription : this.subscribers) {
			subscription.heartbeat();
		}
	}

	private void read() {
		int seen = this.wanted.get();
		Position from = this.head;
		// the first read only learns where the feed stands: what came before is no subscriber's
		int limit = (from != null) ? this.properties.batchSize() : 0;
		this.log.read((from != null) ? from : Position.ORIGIN, limit).subscribe((batch) -> {
			publish(batch, (from != null) ? from : Position.ORIGIN, limit);
			if (limit > 0 && batch.changes().size() >= limit) {
				read();
			}
			else {
				done(seen);
			}
		}, (failure) -> {
			logger.warn("Reading the change feed failed; the next notification or poll reads again: {}",
					failure.toString());
			done(seen);
		});
	}

	private void done(int seen) {
		if (this.wanted.addAndGet(-seen) != 0) {
			read();
		}
	}

	private synchronized void publish(ChangeLog.Batch batch, Position from, int limit) {
		for (Change change : batch.changes()) {
			for (Subscription subscription : this.subscribers) {
				subscription.offer(change);
			}
		}
		this.head = batch.end(from, limit);
	}

}
