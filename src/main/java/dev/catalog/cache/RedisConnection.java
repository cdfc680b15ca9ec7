package dev.catalog.cache;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import reactor.core.publisher.Mono;

/**
 * One shared Lettuce connection (keys as UTF-8 strings, values as raw bytes), opened on first
 * use rather than at start-up so that the service starts and serves from PostgreSQL while
 * Redis is unreachable. A failed attempt is not remembered: the next call tries again. Once
 * open, Lettuce reconnects by itself.
 * <p>
 * Commands go through Lettuce's asynchronous API, not its reactive one: an asynchronous command
 * always reads its reply whole, while reactive commands can leave the shared socket unread
 * (paused for a subscriber's demand) and stall every other command on it. What was measured:
 * {@code bench/results/tuning/README.md}, section 2.
 */
public class RedisConnection implements AutoCloseable {

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private final RedisClient client;

	private final RedisURI uri;

	private final Mono<StatefulRedisConnection<String, byte[]>> connection;

	public RedisConnection(RedisClient client, RedisURI uri) {
		this.client = client;
		this.uri = uri;
		this.connection = Mono.defer(() -> Mono.fromCompletionStage(this.client.connectAsync(CODEC, this.uri)))
			.cache((open) -> Duration.ofMillis(Long.MAX_VALUE), (error) -> Duration.ZERO, () -> Duration.ZERO);
	}

	/**
	 * Runs {@code listener} whenever the connection to Redis is lost, before Lettuce can
	 * reconnect, so that whoever relies on Redis's state can re-check it first.
	 */
	public void onDisconnected(Runnable listener) {
		this.client.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				listener.run();
			}

		});
	}

	/**
	 * Runs a command on the shared connection when subscribed to, once per subscription; emits
	 * its reply (nothing for a nil reply) on Lettuce's I/O thread, and fails if Redis cannot be
	 * reached now. Cancelling cancels the command; its reply is then read and dropped.
	 */
	public <T> Mono<T> execute(Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
		return this.connection.flatMap((open) -> Mono.fromCompletionStage(() -> command.apply(open.async())));
	}

	@Override
	public void close() {
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

}
