package dev.catalog.change;

import java.time.Duration;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;

/**
 * Wakes the feed when a write commits: one {@code LISTEN catalog_changes} connection per
 * instance, of its own (not from the pool: it is held for the life of the instance), opened
 * again whenever it is lost. The feed is woken once each time the connection is (re)opened,
 * for what committed while nobody listened, and by a slow timer as a safety net; the timers
 * (poll, heartbeat, prune) start and stop with this listener.
 */
class ChangeListener implements SmartLifecycle {

	static final String CHANNEL = "catalog_changes";

	private static final Logger logger = LoggerFactory.getLogger(ChangeListener.class);

	private final ConnectionFactory connections;

	private final ChangeFeed feed;

	private final ChangeProperties properties;

	private final ChangeRetention retention;

	private @Nullable Disposable running;

	ChangeListener(ConnectionFactory connections, ChangeFeed feed, ChangeProperties properties,
			ChangeRetention retention) {
		this.connections = connections;
		this.feed = feed;
		this.properties = properties;
		this.retention = retention;
	}

	@Override
	public synchronized void start() {
		Disposable listening = Flux.usingWhen(this.connections.create(), this::listen, Connection::close)
			.doOnError((failure) -> logger.warn("Listening for changes failed; listening again shortly: {}",
					failure.toString()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
			.repeatWhen((ended) -> ended.delayElements(Duration.ofSeconds(1)))
			.subscribe((notification) -> this.feed.wake());
		Disposable polling = Flux.interval(this.properties.pollInterval()).subscribe((tick) -> this.feed.wake());
		Disposable heartbeats = Flux.interval(this.properties.heartbeat()).subscribe((tick) -> this.feed.heartbeat());
		Disposable pruning = Flux.interval(Duration.ZERO, this.properties.pruneInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> this.retention.prune().onErrorResume((failure) -> {
				logger.warn("Pruning the change log failed; trying again later: {}", failure.toString());
				return Mono.empty();
			}), 0)
			.subscribe();
		this.feed.wake();
		this.running = () -> {
			listening.dispose();
			polling.dispose();
			heartbeats.dispose();
			pruning.dispose();
		};
	}

	/** Every notification on the channel, after waking the feed once the LISTEN is in place. */
	private Flux<Object> listen(Connection connection) {
		PostgresqlConnection postgres = (PostgresqlConnection) connection;
		// notifications are taken before LISTEN runs, so that none falls between it and the wake
		Mono<Object> listening = postgres.createStatement("LISTEN " + CHANNEL)
			.execute()
			.flatMap((result) -> result.getRowsUpdated())
			.then(Mono.fromRunnable(this.feed::wake));
		return postgres.getNotifications().map((notification) -> (Object) notification).mergeWith(listening);
	}

	@Override
	public synchronized void stop() {
		if (this.running != null) {
			this.running.dispose();
			this.running = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running != null;
	}

}
