package dev.catalog.db;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends reads that may be served from a streaming replica to one ({@code catalog.db.replicas}),
 * with read-your-writes across instances.
 * <p>
 * <b>What goes where.</b> Only reads passed to {@link #read} go to a replica: the cache's misses
 * and refreshes (list pages, members pages, details, facets, stats, share pages) and the pages of
 * list streams (NDJSON and SSE, following or not). Everything else runs on the primary: writes
 * and the reads of their answer, the change feed, the cache's generation fold-ins, reads that
 * bypass the cache (Redis down or the cache off: then no write position is known to check
 * against).
 * <p>
 * <b>Guarantee.</b> {@link #read} is given the WAL position of the last write the cache knows
 * of ({@link CatalogChanges#committed(long)}, stored in Redis beside the generation and read in
 * the same command as it). Each of the read's statements checks, in the same statement, that the
 * replica has replayed at least that far ({@link GuardedConnection}); if not, the read is run
 * again on the primary. So an answer loaded in a generation reflects every write that advanced
 * the generation up to it, whichever instance made the write and whichever replica answered.
 * <p>
 * <b>Failures.</b> A replica is skipped while its last check (every
 * {@code catalog.db.replica-check-interval}) found it down, not a standby, or lagging past
 * {@code catalog.db.replica-max-lag}; a read that finds it unreachable, or that it does not
 * answer within the read's replica timeout, marks it down and runs on the primary. The cost of a
 * fallback is the failed attempt (one statement on the replica when it was behind) and the read
 * again on the primary.
 */
public class Replicas {

	private static final Logger logger = LoggerFactory.getLogger(Replicas.class);

	private final List<Replica> replicas;

	private final AtomicInteger next = new AtomicInteger();

	private final @Nullable Disposable checks;

	Replicas(List<Replica> replicas, Duration checkInterval) {
		this.replicas = List.copyOf(replicas);
		this.checks = this.replicas.isEmpty() ? null
				: Flux.interval(Duration.ZERO, checkInterval)
					.onBackpressureDrop()
					.concatMap((tick) -> Flux.fromIterable(this.replicas)
						.flatMap((replica) -> replica.check(checkInterval.compareTo(Duration.ofSeconds(1)) < 0
								? Duration.ofSeconds(1) : checkInterval)))
					.subscribe(null, (ex) -> logger.error("Replica checks stopped", ex));
	}

	/** Whether any replica is configured: writes then record their WAL position. */
	public boolean configured() {
		return !this.replicas.isEmpty();
	}

	/**
	 * Runs {@code read} on a usable replica, requiring it to have replayed the WAL up to
	 * {@code needed}; on the primary if none is usable, or again on the primary if the replica
	 * was behind, unreachable or slower than {@code timeout}. {@code read} must be a read that
	 * can run twice (it is subscribed again on a fallback).
	 * @param needed WAL position (bytes) of the last write the cache knows of; 0 requires nothing
	 */
	public <T> Mono<T> read(Mono<T> read, long needed, Duration timeout) {
		return read(read, needed, 0, timeout);
	}

	/**
	 * Like {@link #read(Mono, long, Duration)}, also requiring the replica's snapshot to hold
	 * change feed commit {@code neededCommit}: for a page of a list stream whose feed position
	 * covers that commit, so that following the feed from the position misses nothing.
	 * @param neededCommit the commit number ({@code catalog_commits.position}); 0 requires none
	 */
	public <T> Mono<T> read(Mono<T> read, long needed, long neededCommit, Duration timeout) {
		Replica replica = pick();
		if (replica == null) {
			return read;
		}
		return read
			.contextWrite((context) -> context.put(ReplicaRead.class, new ReplicaRead(replica, needed, neededCommit)))
			.timeout(timeout)
			.onErrorResume(Replicas::fallsBack, (ex) -> {
				replica.fellBack();
				if (!behind(ex)) {
					replica.down(ex);
				}
				return read;
			});
	}

	private @Nullable Replica pick() {
		int count = this.replicas.size();
		if (count == 0) {
			return null;
		}
		int start = Math.floorMod(this.next.getAndIncrement(), count);
		for (int i = 0; i < count; i++) {
			Replica replica = this.replicas.get((start + i) % count);
			if (replica.usable()) {
				return replica;
			}
		}
		return null;
	}

	private static boolean fallsBack(Throwable failure) {
		return behind(failure) || DatabaseFailures.isOutage(failure)
				|| DatabaseFailures.causedBy(failure, TimeoutException.class);
	}

	/** Whether the replica had not replayed the write position the read required. */
	static boolean behind(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof io.r2dbc.spi.R2dbcException database
					&& GuardedConnection.BEHIND.equals(database.getSqlState())) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	List<Replica> all() {
		return this.replicas;
	}

	void stop() {
		if (this.checks != null) {
			this.checks.dispose();
		}
		Flux.fromIterable(this.replicas).flatMap(Replica::close).then().block(Duration.ofSeconds(10));
	}

}
