package dev.catalog.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Runs a write: in one transaction, again from the start if PostgreSQL aborted it as a
 * deadlock victim or a serialization failure (SQLSTATE {@code 40P01}, {@code 40001}), at most
 * {@value #MAX_RETRIES} more times with a short jittered backoff, and then tells the cache
 * ({@link CatalogChanges#committed()}) before the caller answers. A write that still collides
 * after that is answered with 503 and {@code Retry-After}; nothing of it is applied.
 * <p>
 * Every write of the service goes through {@link #commit}, which is what guarantees that each
 * successful write invalidates the cache after its commit and before its response.
 * <p>
 * With read replicas ({@code catalog.db.replicas}) a write also tells the cache where the WAL
 * stood after its commit ({@link #COMMIT_POSITION}, one more statement on the primary, after
 * the transaction), so that reads the cache sends to a replica require the replica to have
 * replayed the write ({@link Replicas}). Without replicas no such statement runs.
 */
public class Writes {

	static final int MAX_RETRIES = 4;

	/**
	 * The WAL insert position, in bytes, read after the commit returned: at or past the end of
	 * the commit record (the write position could be before it with {@code synchronous_commit}
	 * off, the flush position too), so a replica that replayed this far sees the write.
	 */
	static final String COMMIT_POSITION = """
			SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS position
			""";

	private static final Logger logger = LoggerFactory.getLogger(Writes.class);

	private final TransactionalOperator transactions;

	private final CatalogChanges changes;

	private final Counter retries;

	private final Duration firstBackoff;

	private final Clock clock;

	private final Duration timeout;

	private final Mono<Long> commitPosition;

	public Writes(TransactionalOperator transactions, CatalogChanges changes, MeterRegistry registry, Clock clock) {
		this(transactions, changes, registry, clock, Duration.ofMillis(10), Duration.ofSeconds(10));
	}

	/** @param timeout bound on each attempt's transaction ({@code catalog.db.write-timeout}) */
	public Writes(TransactionalOperator transactions, CatalogChanges changes, MeterRegistry registry, Clock clock,
			Duration firstBackoff, Duration timeout) {
		this(transactions, changes, registry, clock, firstBackoff, timeout, Mono.just(0L));
	}

	/**
	 * @param commitPosition the WAL position after a commit (0 when no replica reads need it);
	 * subscribed once per successful write, after its commit
	 */
	Writes(TransactionalOperator transactions, CatalogChanges changes, MeterRegistry registry, Clock clock,
			Duration firstBackoff, Duration timeout, Mono<Long> commitPosition) {
		this.commitPosition = commitPosition;
		this.timeout = timeout;
		this.transactions = transactions;
		this.changes = changes;
		this.clock = clock;
		this.retries = Counter.builder("catalog.db.write.retries")
			.description("Write transactions run again after a deadlock or serialization failure")
			.register(registry);
		this.firstBackoff = firstBackoff;
	}

	/**
	 * @param work builds the statements of the write; called once per attempt, so it must
	 * not have side effects outside the database
	 * @return what the work returned, once committed and announced to the cache
	 */
	public <T> Mono<T> commit(Supplier<Mono<T>> work) {
		// a hung PostgreSQL answers nothing, not even its statement timeout: bounded here, the
		// TimeoutException is an outage (503 + Retry-After) and the abandoned transaction is
		// rolled back by PostgreSQL with its connection
		return Mono.defer(() -> this.transactions.transactional(work.get()))
			.timeout(this.timeout)
			.retryWhen(Retry.backoff(MAX_RETRIES, this.firstBackoff)
				.maxBackoff(Duration.ofMillis(200))
				.jitter(0.5)
				.filter(DatabaseFailures::isRetryable)
				.doBeforeRetry((signal) -> this.retries.increment())
				.onRetryExhaustedThrow((spec, signal) -> new WriteCollisionException(Duration.ofSeconds(1),
						signal.failure())))
			.singleOptional()
			.flatMap((result) -> this.commitPosition.onErrorResume((ex) -> {
				// committed, but where is unknown (the primary went away after the commit): the
				// cache is still told; replica reads are then guarded by older writes only
				logger.warn("WAL position of a committed write unknown; replicas may serve it late", ex);
				return Mono.just(0L);
			}).flatMap(this.changes::committed).then(Mono.justOrEmpty(result)));
	}

	/**
	 * The time a write records, at PostgreSQL's precision (microseconds), so that the answer
	 * shows exactly what a later read will show.
	 */
	public Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
