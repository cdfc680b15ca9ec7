package dev.catalog.db;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One streaming replica: its own pool (in front of which sit the same revalidation and
 * statement accounting as the primary's), and what its last check found. A replica is used only
 * while {@link State#USABLE}: it starts {@link State#DOWN} until its first check, a check that
 * fails or times out, or a read that found it unreachable, marks it down, and a check that finds
 * it lagging past {@code catalog.db.replica-max-lag} (or not a standby at all) sets it aside until a
 * check finds it well again.
 */
final class Replica {

	private static final Logger logger = LoggerFactory.getLogger(Replica.class);

	/** Whether it is a standby, and how far it has received and replayed the WAL (bytes). */
	private static final String CHECK = """
			SELECT pg_is_in_recovery() AS standby,
			       (pg_last_wal_receive_lsn() - '0/0'::pg_lsn)::bigint AS received,
			       (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS replayed
			""";

	enum State {

		USABLE, DOWN, LAGGING, NOT_A_STANDBY

	}

	private final String name;

	private final ConnectionPool pool;

	private final ConnectionFactory connections;

	private final Counter statements;

	private final Counter fallbacks;

	private final Duration maxLag;

	private final AtomicReference<State> state = new AtomicReference<>(State.DOWN);

	/** A received position a check found not yet replayed (-1: none), and when it found it. */
	private long pendingPosition = -1;

	private long pendingSince;

	/** @param name how logs and metrics name it: its URL without credentials */
	Replica(String name, ConnectionPool pool, Duration maxLag, MeterRegistry registry) {
		this.name = name;
		this.pool = pool;
		this.connections = new RevalidatingConnectionFactory(pool);
		this.maxLag = maxLag;
		this.statements = Counter.builder("catalog.db.replica.statements")
			.description("Guarded read statements run on a replica")
			.tag("replica", name)
			.register(registry);
		this.fallbacks = Counter.builder("catalog.db.replica.fallbacks")
			.description("Reads tried on a replica and run again on the primary (behind, down or timed out)")
			.tag("replica", name)
			.register(registry);
		Gauge.builder("catalog.db.replica.usable", this, (replica) -> replica.usable() ? 1 : 0)
			.description("Whether reads are sent to the replica")
			.tag("replica", name)
			.register(registry);
	}

	String name() {
		return this.name;
	}

	boolean usable() {
		return this.state.get() == State.USABLE;
	}

	State state() {
		return this.state.get();
	}

	/**
	 * A pooled connection whose queries require the replica to have replayed up to {@code needed}
	 * and to hold change feed commit {@code neededCommit} (0: none).
	 */
	Mono<Connection> connect(long needed, long neededCommit) {
		return Mono.from(this.connections.create())
			.map((connection) -> new GuardedConnection(connection, needed, neededCommit, this.statements));
	}

	/** A read on it was answered by the primary instead. */
	void fellBack() {
		this.fallbacks.increment();
	}

	/** A read found it unreachable (or it did not answer in time): skipped until a check finds it well. */
	void down(Throwable cause) {
		if (this.state.getAndSet(State.DOWN) != State.DOWN) {
			logger.warn("Replica {} is down, reads go to the primary: {}", this.name, cause.toString());
		}
	}

	/** Checks that it answers, is a standby and is not lagging; never fails. */
	Mono<Void> check(Duration timeout) {
		return Mono.usingWhen(this.connections.create(),
				(connection) -> Flux.from(connection.createStatement(CHECK).execute())
					.flatMap((result) -> result.map(Replica::observe))
					.next(),
				Connection::close)
			.timeout(timeout)
			.doOnNext(this::update)
			.onErrorResume((ex) -> {
				down(ex);
				return Mono.empty();
			})
			.then();
	}

	private static Observed observe(Readable row) {
		Boolean standby = row.get("standby", Boolean.class);
		Long received = row.get("received", Long.class);
		Long replayed = row.get("replayed", Long.class);
		return new Observed(Boolean.TRUE.equals(standby), (received != null) ? received : 0,
				(replayed != null) ? replayed : 0);
	}

	/**
	 * How long the replica has had WAL it received and has not replayed: since the check that
	 * first saw a received position still unreplayed now. Not {@code now() -
	 * pg_last_xact_replay_timestamp()}: after a quiet spell that is the age of the last write, not
	 * a lag. Precise to a check interval.
	 */
	synchronized long lagMillis(Observed observed, long nowNanos) {
		if (observed.received() <= observed.replayed()) {
			this.pendingPosition = -1;
			return 0;
		}
		if (this.pendingPosition < 0 || observed.replayed() >= this.pendingPosition) {
			this.pendingPosition = observed.received();
			this.pendingSince = nowNanos;
			return 0;
		}
		return (nowNanos - this.pendingSince) / 1_000_000;
	}

	private void update(Observed observed) {
		long lag = lagMillis(observed, System.nanoTime());
		State next = !observed.standby() ? State.NOT_A_STANDBY
				: (lag > this.maxLag.toMillis()) ? State.LAGGING : State.USABLE;
		State previous = this.state.getAndSet(next);
		if (previous != next) {
			if (next == State.USABLE) {
				logger.info("Replica {} is usable, reads go to it", this.name);
			}
			else {
				logger.warn("Replica {} is {} (received WAL unreplayed for {} ms), reads go to the primary", this.name,
						next, lag);
			}
		}
	}

	Mono<Void> close() {
		return this.pool.disposeLater();
	}

	record Observed(boolean standby, long received, long replayed) {
	}

}
