package dev.catalog.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.catalog.db.CatalogChanges;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Invalidation by generation: every cache entry records the catalog generation it was loaded
 * in, and only entries of the current generation are served. A write advances the generation,
 * so it needs to touch no key but one.
 * <p>
 * <b>Guarantee.</b> When the {@code Mono} of {@link #committed()} completes (the writer then
 * sends its response), either the Redis generation has advanced past every entry loaded before
 * the write committed, or this instance could not reach Redis and the write is recorded in
 * PostgreSQL's {@code catalog_generation} sequence. In the second case no instance serves from
 * Redis again before folding that sequence into the Redis generation: every instance does that
 * ({@link #ready()}) before its first read from Redis, after every Redis disconnection (or
 * cluster failover) it notices and after every Redis command that failed, and the writing instance keeps retrying
 * it in the background until it succeeds. An entry loaded in a generation can only be stored
 * while that generation is still current (checked atomically in Redis), so a load that raced
 * with a write never reappears later. A fold-in after a disconnection or failover advances the
 * generation even when PostgreSQL's did not move: Redis acknowledges an advance before its
 * replicas have it, so a promoted replica (or a restarted Redis) may have lost it.
 * <p>
 * <b>Limits.</b> If Redis stays reachable for some instances while it is not for the writer
 * (a partial network partition), those instances can serve pre-write answers until the writer
 * reaches Redis again. If PostgreSQL cannot even record the write, the next successful
 * fold-in from this instance advances the generation unconditionally; if this instance dies
 * first, that write can stay hidden until entries expire (at most the stale-if-error window).
 */
class CatalogGenerations implements CatalogChanges {

	private static final Logger logger = LoggerFactory.getLogger(CatalogGenerations.class);

	private static final String NEXT = "SELECT nextval('catalog_generation') AS generation";

	/** Also where the WAL stands, past every write the fold-in accounts for (for replica reads). */
	private static final String CURRENT = """
			SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS generation,
			       (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS wal_position
			FROM catalog_generation
			""";

	private final CacheStore store;

	private final DatabaseClient database;

	private final RedisSync sync;

	private final Duration databaseTimeout;

	private final Duration retryInterval;

	/** A write could be recorded neither in Redis nor in PostgreSQL. */
	private final AtomicBoolean forceBump = new AtomicBoolean();

	private final AtomicBoolean retrying = new AtomicBoolean();

	private @Nullable Mono<Void> syncing;

	private volatile @Nullable Disposable retry;

	/**
	 * @param sync marked by whoever notices that Redis may have missed a change (the store on a
	 * failed command, the connection when it is lost, this class when a write could not reach
	 * Redis); {@link #ready()} folds in until it is in sync again
	 * @param databaseTimeout bound on each SQL statement of a fold-in or of recording a write
	 * @param retryInterval how often a write made during an outage is retried in the background
	 */
	CatalogGenerations(CacheStore store, DatabaseClient database, RedisSync sync, Duration databaseTimeout,
			Duration retryInterval) {
		this.store = store;
		this.database = database;
		this.sync = sync;
		this.databaseTimeout = databaseTimeout;
		this.retryInterval = retryInterval;
	}

	/**
	 * Completes when Redis's generation accounts for every write recorded in PostgreSQL; fails
	 * (with {@link CacheUnavailableException}) if that cannot be made sure now, in which case the
	 * caller must not serve from Redis.
	 */
	Mono<Void> ready() {
		if (this.sync.inSync()) {
			return Mono.empty();
		}
		synchronized (this) {
			if (this.syncing == null) {
				this.syncing = resync().doFinally((signal) -> {
					synchronized (this) {
						this.syncing = null;
					}
				}).cache();
			}
			return this.syncing;
		}
	}

	private Mono<Void> resync() {
		return Mono.defer(() -> {
			if (this.store.refusing()) {
				// Redis is known to be down: do not spend a SQL statement per read finding out again
				return Mono.error(new CacheUnavailableException(new IllegalStateException("Redis circuit open")));
			}
			long target = this.sync.epoch();
			long losses = this.sync.losses();
			boolean force = this.forceBump.get() || this.sync.lossUnhandled(losses);
			// Redis first: while it is down, finding out must not cost a SQL statement per try
			return this.store.probe()
				.then(this.database.sql(CURRENT)
					.map((row) -> new long[] { row.get("generation", Long.class), row.get("wal_position", Long.class) })
					.one()
					.timeout(this.databaseTimeout)
					.onErrorMap((ex) -> !(ex instanceof CacheUnavailableException), CacheUnavailableException::new))
				.flatMap((postgres) -> this.store.resync(postgres[0], force, postgres[1]))
				.doOnNext((generation) -> {
					if (force) {
						this.forceBump.set(false);
						this.sync.lossesHandledUpTo(losses);
					}
					this.sync.syncedUpTo(target);
					logger.debug("Cache generation resynchronised with PostgreSQL: {}", generation);
				})
				.then();
		});
	}

	/**
	 * Advances the generation in Redis; if Redis cannot be told, records the write in
	 * PostgreSQL and makes sure Redis is told before any instance serves from it again (see
	 * the class's guarantee). Never fails.
	 */
	@Override
	public Mono<Void> committed() {
		return committed(0);
	}

	/**
	 * {@link #committed()}, recording the write's WAL position beside the generation (in the
	 * same script that advances it) for reads from replicas. If Redis cannot be told, the
	 * fold-in that later accounts for the write records PostgreSQL's position at that time,
	 * which is past the write's.
	 */
	@Override
	public Mono<Void> committed(long walPosition) {
		return this.store.bump(walPosition)
			.then()
			.onErrorResume((ex) -> recordInPostgres());
	}

	private Mono<Void> recordInPostgres() {
		this.sync.redisMayHaveMissedChanges();
		return this.database.sql(NEXT)
			.map((row) -> row.get("generation", Long.class))
			.one()
			.timeout(this.databaseTimeout)
			.doOnNext((generation) -> logger.info("Redis unreachable: write recorded as generation {} in PostgreSQL",
					generation))
			.then(Mono.defer(this::ready))
			.onErrorResume((ex) -> {
				if (!(ex instanceof CacheUnavailableException)) {
					logger.warn("Neither Redis nor PostgreSQL could record a write; the cache generation will be "
							+ "advanced when Redis is next reachable", ex);
					this.forceBump.set(true);
				}
				retryInBackground();
				return Mono.empty();
			});
	}

	/** Keeps folding in until it succeeds, so a write made during an outage is not left to reads. */
	private void retryInBackground() {
		if (!this.retrying.compareAndSet(false, true)) {
			return;
		}
		this.retry = Mono.defer(this::ready)
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, this.retryInterval))
			.doFinally((signal) -> this.retrying.set(false))
			.subscribe(null, (ex) -> logger.warn("Cache generation resynchronisation gave up", ex));
	}

	void stop() {
		Disposable current = this.retry;
		if (current != null) {
			current.dispose();
		}
	}

}
