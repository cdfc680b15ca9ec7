package dev.catalog.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cache's Redis commands. Every command is bounded by the command timeout (Lettuce's own,
 * counted from when the command is written until its reply is decoded, so time a busy reader
 * spends after the reply does not count against Redis) and goes through one circuit breaker:
 * after repeated failures no command is tried for a while, so a Redis outage costs a request
 * at most one command timeout, then nothing. Every failure (other than the breaker refusing)
 * is counted, marks Redis as possibly out of sync ({@link RedisSync}), and surfaces as
 * {@link CacheUnavailableException}.
 * <p>
 * Keys: {@code <prefix><tag>generation} (the catalog generation, a decimal integer),
 * {@code <prefix><tag>generation:pg} (the last PostgreSQL generation folded into it),
 * {@code <prefix><tag>generation:wal} (the WAL position, in bytes, of the last write that
 * advanced it: what a replica must have replayed to answer a read of this generation),
 * {@code <prefix><tag>entry:<key>} (entries), {@code <prefix><tag>lock:<key>@<version>} (refresh
 * and load locks). Entries of every generation share one key per request key, so a new answer
 * replaces the old one instead of leaving it to expire.
 * <p>
 * On a standalone Redis the tag is empty and there is one generation. On a Redis Cluster the
 * generation exists once per shard ({@code catalog.redis.generation-shards}); the tag is the
 * hash tag {@code {n}} of the request key's shard, so that everything one command or script reads
 * together (a shard's generation, a key's entry and its locks) lives in one hash slot: a lookup
 * is still one {@code MGET}, a store still one script. Reads of different keys reach different
 * shards' generations and so spread over the primaries; a write advances every shard's
 * generation (one script per shard, sent together), and completes only when all advanced.
 */
class CacheStore {

	private static final Logger logger = LoggerFactory.getLogger(CacheStore.class);

	private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private final RedisConnection connection;

	private final CircuitBreaker breaker;

	private final CacheMetrics metrics;

	private final RedisSync sync;

	private final String keyPrefix;

	private final int shards;

	private final boolean tagged;

	private final byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

	/**
	 * @param shards copies of the generation, each in its own hash slot; more than one only on a
	 * cluster ({@code tagged})
	 * @param tagged whether keys carry a hash tag (a Redis Cluster)
	 */
	CacheStore(RedisConnection connection, CircuitBreaker breaker, String keyPrefix, CacheMetrics metrics,
			RedisSync sync, int shards, boolean tagged) {
		if (tagged && (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0)) {
			throw new IllegalArgumentException("catalog.cache.key-prefix must not contain { or } on a Redis Cluster, "
					+ "where the service puts its own hash tags after it: " + keyPrefix);
		}
		if (shards != 1 && !tagged) {
			throw new IllegalArgumentException("More than one generation shard needs hash tags");
		}
		this.connection = connection;
		this.breaker = breaker;
		this.metrics = metrics;
		this.sync = sync;
		this.keyPrefix = keyPrefix;
		this.shards = shards;
		this.tagged = tagged;
	}

	/** Generation, entry (if any), WAL position a replica needs for it (0: none; {@link #poll}: unread). */
	record Lookup(long generation, @Nullable CacheEntry entry, boolean locked, long walPosition) {

		/** The entry if it belongs to the current generation. */
		@Nullable CacheEntry current() {
			return (this.entry != null && this.entry.generation() == this.generation) ? this.entry : null;
		}

	}

	/** Whether the circuit breaker currently refuses every Redis command. */
	boolean refusing() {
		CircuitBreaker.State state = this.breaker.getState();
		return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
	}

	/** Succeeds if Redis answers now. */
	Mono<Void> probe() {
		return redis((commands) -> commands.exists(generationKey(0))).then();
	}

	/** The current generation, its WAL position and the key's entry, in one round trip. */
	Mono<Lookup> lookup(String key) {
		return redis((commands) -> commands.mget(generationKey(shard(key)), entryKey(key), walKey(shard(key))))
			.flatMap((values) -> lookup(shard(key), values, false,
					values.get(2).hasValue() ? parse(values.get(2).getValue()) : 0));
	}

	/** Like {@link #lookup} (but without the WAL position) and whether the given lock is held, in one round trip. */
	Mono<Lookup> poll(String key, String lock) {
		return redis((commands) -> commands.mget(generationKey(shard(key)), entryKey(key), lockKey(lock)))
			.flatMap((values) -> lookup(shard(key), values, values.get(2).hasValue(), 0));
	}

	private Mono<Lookup> lookup(int shard, List<KeyValue<String, byte[]>> values, boolean locked, long walPosition) {
		CacheEntry entry = values.get(1).hasValue() ? CacheEntry.decode(values.get(1).getValue()) : null;
		if (values.get(0).hasValue()) {
			return Mono.just(new Lookup(parse(values.get(0).getValue()), entry, locked, walPosition));
		}
		return redis((commands) -> RedisScripts.eval(commands, RedisScripts.INIT, new String[] { generationKey(shard) },
				RedisScripts.initial()))
			.map((generation) -> new Lookup(generation, entry, locked, walPosition));
	}

	/** Stores the entry if its generation is still current; tells whether it did. */
	Mono<Boolean> store(String key, CacheEntry entry, long ttlMillis) {
		this.metrics.entrySizes.record(entry.data().length);
		return redis((commands) -> RedisScripts.eval(commands, RedisScripts.STORE,
				new String[] { generationKey(shard(key)), entryKey(key) }, ascii(Long.toString(entry.generation())),
				entry.data(), ascii(Long.toString(Math.max(1, ttlMillis)))))
			.map((stored) -> stored == 1L);
	}

	/** Takes the named lock for {@code ttl} if nobody holds it; tells whether it did. */
	Mono<Boolean> tryLock(String lock, Duration ttl) {
		return redis((commands) -> commands.set(lockKey(lock), this.token, SetArgs.Builder.nx().px(ttl.toMillis())))
			.map((ok) -> true)
			.defaultIfEmpty(false);
	}

	Mono<Void> unlock(String lock) {
		return redis((commands) -> RedisScripts.eval(commands, RedisScripts.UNLOCK, new String[] { lockKey(lock) },
				this.token))
			.then();
	}

	/** Advances every shard's generation and WAL position (0: unknown); fails if one did not advance. */
	Mono<Void> bump(long walPosition) {
		byte[] position = ascii(Long.toString(walPosition));
		return Flux.range(0, this.shards)
			.flatMap((shard) -> redis((commands) -> RedisScripts.eval(commands, RedisScripts.BUMP,
					new String[] { generationKey(shard), walKey(shard) }, RedisScripts.initial(), position)), this.shards)
			.then();
	}

	/**
	 * Advances the generation if PostgreSQL's generation moved since it was last folded in, or
	 * if {@code force}, in every shard (each keeps its own mark, so a shard that a failed fold-in
	 * missed still advances in the next); emits the first shard's current generation.
	 */
	Mono<Long> resync(long postgresGeneration, boolean force, long walPosition) {
		return Flux.range(0, this.shards)
			.flatMapSequential((shard) -> redis((commands) -> RedisScripts.eval(commands, RedisScripts.RESYNC,
					new String[] { generationKey(shard), markKey(shard), walKey(shard) },
					ascii(Long.toString(postgresGeneration)), RedisScripts.initial(), ascii(force ? "1" : "0"),
					ascii(Long.toString(walPosition)))), this.shards)
			.collectList()
			.map((generations) -> generations.get(0));
	}

	private <T> Mono<T> redis(
			Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
		return this.connection.execute(command)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap((ex) -> !(ex instanceof CacheUnavailableException), (ex) -> {
				if (!(ex instanceof CallNotPermittedException)) {
					this.metrics.redisErrors.increment();
					long now = System.nanoTime();
					long last = this.lastWarned.get();
					if (now - last > WARN_INTERVAL_NANOS && this.lastWarned.compareAndSet(last, now)) {
						logger.warn("Redis command failed; reads bypass the cache while it does: {}", ex.toString());
					}
					// a command that failed may have been a write Redis did not apply, or Redis
					// may be restarting with older data
					this.sync.redisMayHaveMissedChanges();
				}
				return new CacheUnavailableException(ex);
			});
	}

	/** The shard of a request key: the same on every instance (String's hash is specified). */
	int shard(String key) {
		return (this.shards == 1) ? 0 : Math.floorMod(key.hashCode(), this.shards);
	}

	private String tag(int shard) {
		return this.tagged ? "{" + shard + "}" : "";
	}

	String generationKey(int shard) {
		return this.keyPrefix + tag(shard) + "generation";
	}

	String walKey(int shard) {
		return this.keyPrefix + tag(shard) + "generation:wal";
	}

	private String markKey(int shard) {
		return this.keyPrefix + tag(shard) + "generation:pg";
	}

	String entryKey(String key) {
		return this.keyPrefix + tag(shard(key)) + "entry:" + key;
	}

	/** A lock is named {@code <key>@<version>}: it lives in its key's slot, so a poll reads both at once. */
	private String lockKey(String lock) {
		int at = lock.lastIndexOf('@');
		return this.keyPrefix + tag(shard((at < 0) ? lock : lock.substring(0, at))) + "lock:" + lock;
	}

	private static long parse(byte[] value) {
		return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
