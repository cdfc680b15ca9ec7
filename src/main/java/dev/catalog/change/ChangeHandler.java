package dev.catalog.change;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.catalog.web.GoneException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/v1/changes}: the feed as Server-Sent Events or NDJSON.
 * <p>
 * A request without a position joins the live feed at this instance's head. One with a
 * position ({@code Last-Event-ID} or {@code after}) joins the live feed first (what arrives is
 * held in its buffer), then reads the log from its position in chunks, one statement each,
 * read only as the client takes them, and then goes on with the live changes it has not
 * already sent: nothing is missed between the two, nothing is sent twice. A position the
 * log no longer holds (pruned) gets an SSE {@code reset} event, or 410 problem+json as NDJSON,
 * before anything else.
 */
class ChangeHandler {

	private static final String GONE = "Changes after this position are older than the retention window and "
			+ "were pruned; reload the list, then follow the feed from the position its end event gives.";

	private static final byte[] RESET_EVENT = ("event:reset\ndata:{\"detail\":\"" + GONE + "\"}\n\n")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] HEARTBEAT_EVENT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

	/** Stands for "the position is gone": the stream is never subscribed to. */
	private static final Flux<Object> RESET = Flux.empty();

	private final ChangeFeed feed;

	private final ChangeLog log;

	private final int batchSize;

	private final Clock clock;

	private final Counter sent;

	private final Timer lag;

	ChangeHandler(ChangeFeed feed, ChangeLog log, ChangeProperties properties, Clock clock, MeterRegistry registry) {
		this.feed = feed;
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
	 */
	Mono<ServerResponse> events(ServerRequest request) {
		return Mono.fromCallable(() -> ChangeRequest.of(request)).flatMap(this::open).flatMap((items) -> {
			Flux<byte[]> events = (items == RESET) ? Flux.just(RESET_EVENT) : items.map(this::event);
			return ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("X-Accel-Buffering", "no")
				.body((message, context) -> message.writeWith(events.map((bytes) -> message.bufferFactory().wrap(bytes))));
		});
	}

	Mono<ServerResponse> lines(ServerRequest request) {
		return Mono.fromCallable(() -> ChangeRequest.of(request)).flatMap(this::open).flatMap((items) -> {
			if (items == RESET) {
				return Mono.error(new GoneException("Position no longer kept", GONE));
			}
			return ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON).body(items.map(this::line), String.class);
		});
	}

	private Mono<Flux<Object>> open(ChangeRequest request) {
		return Mono.fromCallable(() -> this.feed.subscribe(request.filter())).flatMap((subscription) -> {
			Flux<Object> live = Flux.defer(subscription::flux).doOnNext(this::measureLag);
			Position after = request.after();
			if (after == null) {
				return Mono.just(live.doFinally((signal) -> this.feed.unsubscribe(subscription)));
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
			}).doOnError((failure) -> this.feed.unsubscribe(subscription)).doOnCancel(() -> this.feed.unsubscribe(subscription));
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

	private String line(Object item) {
		if (!(item instanceof Change change)) {
			return "{\"type\":\"heartbeat\"}\n";
		}
		this.sent.increment();
		return "{\"id\":\"" + change.position().encode() + "\",\"type\":\"" + change.kind() + "\",\"data\":" + change.data()
				+ "}\n";
	}

}
