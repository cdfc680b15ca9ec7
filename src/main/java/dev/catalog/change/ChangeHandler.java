package dev.catalog.change;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.catalog.db.FeedStreams;
import dev.catalog.web.GoneException;
import dev.catalog.web.HandedOffStreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/v1/changes}: the feed as Server-Sent Events or NDJSON.
 * <p>
 * A request without a position starts at the database's present ({@link ChangeFeed#now()}): it
 * joins the live feed, then skips what the feed delivers that is not after that position. One with a
 * position ({@code Last-Event-ID} or {@code after}) joins the live feed first (what arrives is
 * held in its buffer), then reads the log from its position in chunks, one statement each,
 * read only as the client takes them, and then goes on with the live changes it has not
 * already sent: nothing is missed between the two, nothing is sent twice. A position the
 * log no longer holds (pruned, or {@link Position#RETIRED retired}) gets an SSE {@code reset}
 * event, or 410 problem+json as NDJSON, before anything else.
 */
class ChangeHandler implements FeedStreams {

	private static final String GONE = "Changes after this position are no longer kept (older than the retention "
			+ "window, or from before feed positions were numbered by commit); reload the list, then follow the "
			+ "feed from the position its end event gives.";

	private static final byte[] RESET_EVENT = ("event:reset\ndata:{\"detail\":\"" + GONE + "\"}\n\n")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] HEARTBEAT_EVENT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] HEARTBEAT_LINE = "{\"type\":\"heartbeat\"}\n".getBytes(StandardCharsets.US_ASCII);

	/** Stands for "the position is gone": the stream is never subscribed to. */
	private static final Flux<Object> RESET = Flux.empty();

	private final ChangeFeed feed;

	private final ChangeLog log;

	private final int batchSize;

	private final Clock clock;

	private final Counter sent;

	private final Timer lag;

	private final HandedOffStreams streams;

	ChangeHandler(ChangeFeed feed, ChangeLog log, ChangeProperties properties, Clock clock, MeterRegistry registry,
			HandedOffStreams streams) {
		this.feed = feed;
		this.streams = streams;
		this.log = log;
		this.batchSize = properties.batchSize();
		this.clock = clock;
		this.sent = Counter.builder("catalog.changes.events.sent")
			.description("Change events sent to subscribers (one per subscriber and change)")
			.register(registry);
		this.lag = Timer.builder("catalog.changes.lag")
			.description("From a change's commit to its live event being handed to a subscriber's connection")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	/**
	 * Written as bytes, not {@code ServerSentEvent}s: each change is encoded once per instance
	 * ({@link Change#event()}) and the same bytes are wrapped, not copied, for every subscriber.
	 * Reactor Netty flushes whenever it has written all that was ready, so each event goes out
	 * at once; {@code writeAndFlushWith} would cost every idle stream two more prefetch queues.
	 * The body is {@link HandedOffStreams handed off}: written once WebFlux is done with the
	 * request, so that an open stream holds nothing of the filter chain.
	 */
	Mono<ServerResponse> events(ServerRequest request) {
		return Mono.fromCallable(() -> ChangeRequest.of(request))
			.flatMap((changes) -> Mono.fromCallable(() -> this.feed.subscribe(changes.filter()))
				.flatMap((subscription) -> body(changes, subscription, true, false)))
			.flatMap((events) -> ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("X-Accel-Buffering", "no")
				.body((response, context) -> this.streams.write(response, events)));
	}

	Mono<ServerResponse> lines(ServerRequest request) {
		return Mono.fromCallable(() -> ChangeRequest.of(request))
			.flatMap((changes) -> Mono.fromCallable(() -> this.feed.subscribe(changes.filter()))
				.flatMap((subscription) -> body(changes, subscription, true, true)))
			.flatMap((lines) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_NDJSON)
				.body((response, context) -> this.streams.write(response, lines)));
	}

	/**
	 * For a list that continues with the feed: joins the feed at this instance's head (where
	 * the list's snapshot is sure to start from or after), not at the database's present, so
	 * that nothing committed while the snapshot is read is missed.
	 */
	@Override
	public Mono<Following> follow(@Nullable String after, @Nullable UUID collection, @Nullable String type,
			boolean lines) {
		return Mono.defer(() -> {
			ChangeRequest changes = new ChangeRequest((after != null) ? Position.decode(after) : null, collection, type,
					Set.of());
			Subscription subscription = this.feed.subscribe(changes.filter());
			Runnable release = () -> this.feed.unsubscribe(subscription);
			Position position = (changes.after() != null) ? changes.after() : subscription.start();
			return body(changes, subscription, false, lines).map((events) -> new Following(
					(after != null) ? after : position.encode(), position.lastCommitCovered(), events, release));
		});
	}

	/**
	 * The encoded stream of a subscription made for this request; the subscription ends with
	 * the stream, or at once if this fails or is cancelled before there is one.
	 * @param fromNow whether a request without a position starts at the database's present
	 * ({@link ChangeFeed#now()}) rather than at the subscription's position
	 */
	private Mono<Flux<byte[]>> body(ChangeRequest request, Subscription subscription, boolean fromNow, boolean lines) {
		return open(request, subscription, fromNow).flatMap((items) -> {
			if (items == RESET) {
				return lines ? Mono.<Flux<byte[]>>error(new GoneException("Position no longer kept", GONE))
						: Mono.just(Flux.just(RESET_EVENT));
			}
			return Mono.just(items.map(lines ? this::line : this::event));
		}).doOnError((failure) -> this.feed.unsubscribe(subscription)).doOnCancel(() -> this.feed.unsubscribe(subscription));
	}

	private Mono<Flux<Object>> open(ChangeRequest request, Subscription subscription, boolean fromNow) {
		Flux<Object> live = Flux.defer(subscription::flux).doOnNext(this::measureLag);
		Position after = request.after();
		if (after == null) {
			Flux<Object> stream = live.doFinally((signal) -> this.feed.unsubscribe(subscription));
			if (!fromNow) {
				return Mono.just(stream);
			}
			return this.feed.now().map((now) -> {
				subscription.skipThrough(now);
				return stream;
			});
		}
		if (after.isRetired()) {
			this.feed.unsubscribe(subscription);
			return Mono.just(RESET);
		}
		return this.log.read(after, this.batchSize).map((first) -> {
			Position pruned = first.prunedThrough();
			if (pruned != null && pruned.isAfter(after)) {
				this.feed.unsubscribe(subscription);
				return RESET;
			}
			AtomicReference<Position> caughtUp = new AtomicReference<>(after);
			Flux<Object> history = pages(first).doOnNext((change) -> caughtUp.set(change.position()))
				.filter(request.filter())
				.cast(Object.class);
			Flux<Object> rest = Flux.defer(() -> {
				subscription.skipThrough(caughtUp.get());
				return live;
			});
			return history.concatWith(rest).doFinally((signal) -> this.feed.unsubscribe(subscription));
		});
	}

	/** The batch's changes, then the next chunk's, read once these are taken, until a short one. */
	private Flux<Change> pages(ChangeLog.Batch batch) {
		Flux<Change> these = Flux.fromIterable(batch.changes());
		if (batch.changes().size() < this.batchSize) {
			return these;
		}
		Position last = batch.changes().get(batch.changes().size() - 1).position();
		return these.concatWith(this.log.read(last, this.batchSize).flatMapMany(this::pages));
	}

	private void measureLag(Object item) {
		if (item instanceof Change change) {
			this.lag.record(Duration.between(change.recordedAt(), this.clock.instant()));
		}
	}

	private byte[] event(Object item) {
		if (!(item instanceof Change change)) {
			return HEARTBEAT_EVENT;
		}
		this.sent.increment();
		return change.event();
	}

	private byte[] line(Object item) {
		if (!(item instanceof Change change)) {
			return HEARTBEAT_LINE;
		}
		this.sent.increment();
		return ("{\"id\":\"" + change.position().encode() + "\",\"type\":\"" + change.kind() + "\",\"data\":"
				+ change.data() + "}\n").getBytes(StandardCharsets.UTF_8);
	}

}
