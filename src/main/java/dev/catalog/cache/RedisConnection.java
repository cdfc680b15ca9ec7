package dev.catalog.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One shared Lettuce connection (keys as UTF-8 strings, values as raw bytes) to a standalone
 * Redis, a Sentinel-watched primary or a Redis Cluster, opened on first use rather than at
 * start-up so that the service starts and serves from PostgreSQL while Redis is unreachable.
 * Once open, Lettuce reconnects by itself (on a cluster it also follows the topology: see
 * {@code RedisConfiguration}).
 * <p>
 * Until it is open, a command waits for the attempt to open it, which Lettuce's command timeout
 * does not cover, so the attempt is bounded here as a whole ({@code attempt}: the connect
 * timeout plus the command timeout, for the TCP connection and Redis's answer to the
 * handshake; Lettuce on its own took 4 to 14 s to give up on a server that accepts and never
 * answers, as a frozen Redis does). A failed attempt is remembered for {@code retry}, so that
 * while Redis is unreachable the calls in between fail at once instead of each opening a
 * connection of its own; the next call after that tries again. Attempts run on
 * {@link Schedulers#boundedElastic()}: Lettuce does part of the work of opening a connection on
 * the calling thread (its first attempt sets up the client: seconds on a busy machine), which
 * must not be a request's event loop or Lettuce's I/O thread. An attempt that succeeds after it
 * timed out has its connection closed.
 * <p>
 * Commands go through Lettuce's asynchronous API, not its reactive one: an asynchronous command
 * always reads its reply whole, while reactive commands can leave the shared socket unread
 * (paused for a subscriber's demand) and stall every other command on it. What was measured:
 * {@code bench/results/tuning/README.md}, section 2. The commands are the ones a standalone
 * Redis and a cluster have in common; on a cluster every multi-key command and script must name
 * keys of one hash slot ({@link CacheStore}'s key scheme sees to that).
 */
public class RedisConnection implements AutoCloseable {

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private final AbstractRedisClient client;

	private final boolean cluster;

	private final Mono<RedisClusterAsyncCommands<String, byte[]>> commands;

	private final Disposable.Composite subscriptions = Disposables.composite();

	/** The standalone connection once open: the client's other connections (to sentinels) do not count. */
	private final AtomicReference<Object> opened;

	private RedisConnection(AbstractRedisClient client, boolean cluster, AtomicReference<Object> opened,
			Supplier<CompletableFuture<? extends StatefulConnection<String, byte[]>>> connect, Duration attempt,
			Duration retry) {
		this.client = client;
		this.cluster = cluster;
		this.opened = opened;
		this.commands = attempt(connect, attempt).doOnNext(opened::set)
			.map(RedisConnection::commands)
			.cache((connected) -> Duration.ofMillis(Long.MAX_VALUE), (error) -> retry, () -> Duration.ZERO);
	}

	/**
	 * A standalone Redis, or the primary its sentinels name when {@code uri} is a sentinel URI.
	 * @param attempt bound on one attempt to open the connection
	 * @param retry how long a failed attempt answers for the calls that come after it
	 */
	public static RedisConnection standalone(RedisClient client, RedisURI uri, Duration attempt, Duration retry) {
		return new RedisConnection(client, false, new AtomicReference<>(),
				() -> client.connectAsync(CODEC, uri).toCompletableFuture(), attempt, retry);
	}

	/** A Redis Cluster, reached through the seed nodes the client was created with. */
	public static RedisConnection cluster(RedisClusterClient client, Duration attempt, Duration retry) {
		// the asynchronous connect needs the topology read first (the synchronous one reads it itself)
		return new RedisConnection(client, true, new AtomicReference<>(),
				() -> client.refreshPartitionsAsync()
					.toCompletableFuture()
					.thenCompose((partitions) -> client.connectAsync(CODEC).toCompletableFuture()),
				attempt, retry);
	}

	private static Mono<StatefulConnection<String, byte[]>> attempt(
			Supplier<CompletableFuture<? extends StatefulConnection<String, byte[]>>> connect, Duration bound) {
		return Mono.defer(() -> {
			CompletableFuture<? extends StatefulConnection<String, byte[]>> opening = connect.get();
			// not cancelled on timeout (Lettuce would not close what it opens after all), and never
			// failing after it: a failure that nobody waits for any more is logged as an error
			return Mono.fromFuture(settled(opening), true)
				.timeout(bound)
				.doOnError(TimeoutException.class,
						(late) -> opening.thenAccept((connection) -> connection.closeAsync()))
				.flatMap(RedisConnection::<StatefulConnection<String, byte[]>>outcome);
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * A future's value or failure as the value of a future that does not fail, so that a
	 * failure arriving after its subscriber gave up (timed out) is not reported as dropped.
	 */
	static <T> CompletableFuture<Object> settled(CompletionStage<T> stage) {
		return stage.handle((value, failure) -> (failure != null) ? new Failed(failure) : value).toCompletableFuture();
	}

	/** The value or failure {@link #settled} kept; nothing for a {@code null} value. */
	@SuppressWarnings("unchecked")
	static <T> Mono<T> outcome(Object settled) {
		if (settled instanceof Failed failed) {
			Throwable failure = failed.failure();
			return Mono.error((failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
					? failure.getCause() : failure);
		}
		return Mono.just((T) settled);
	}

	private record Failed(Throwable failure) {

	}

	@SuppressWarnings("unchecked")
	private static RedisClusterAsyncCommands<String, byte[]> commands(StatefulConnection<String, byte[]> open) {
		return (open instanceof StatefulRedisClusterConnection<?, ?> cluster)
				? ((StatefulRedisClusterConnection<String, byte[]>) cluster).async()
				: ((StatefulRedisConnection<String, byte[]>) open).async();
	}

	/** Whether this is a Redis Cluster, where keys read or written together must share a hash slot. */
	public boolean cluster() {
		return this.cluster;
	}

	/**
	 * Runs {@code listener} whenever Redis may have lost what it was told: when the connection
	 * to a standalone or Sentinel-watched Redis is lost (it may come back restarted, or as a
	 * promoted replica that had not received the last writes), before Lettuce can reconnect (the
	 * client's own connections to sentinels come and go and do not count);
	 * on a cluster, when the client sees the topology change (a failover promoted a replica).
	 * A cluster's node connections are not watched one by one: the client also opens and
	 * closes connections of its own to refresh the topology.
	 */
	public void onDisconnected(Runnable listener) {
		if (this.cluster) {
			this.subscriptions.add(this.client.getResources()
				.eventBus()
				.get()
				.filter(ClusterTopologyChangedEvent.class::isInstance)
				.subscribe((event) -> listener.run()));
			return;
		}
		this.client.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				// the client's short-lived connections to sentinels, opened to ask for the
				// primary, close after every lookup: only losing the shared one counts
				if (connection == RedisConnection.this.opened.get()) {
					listener.run();
				}
			}

		});
	}

	/**
	 * Runs a command on the shared connection when subscribed to, once per subscription; emits
	 * its reply (nothing for a nil reply) on Lettuce's I/O thread, and fails if Redis cannot be
	 * reached now. Cancelling cancels the command; its reply is then read and dropped.
	 */
	public <T> Mono<T> execute(
			Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
		return this.commands.flatMap((open) -> Mono.fromCompletionStage(() -> command.apply(open)));
	}

	@Override
	public void close() {
		this.subscriptions.dispose();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

}
