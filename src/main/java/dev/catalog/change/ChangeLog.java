package dev.catalog.change;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The durable log ({@code catalog_changes}), each read one statement.
 * <p>
 * Gap-free order: a read returns only changes of transactions below the {@code xmin} of its
 * own snapshot, ordered by {@code (txid, seq)}. Every transaction below {@code xmin} has ended,
 * so no change can later appear at a position a reader has already passed, whatever order the
 * writers committed in; a change of a transaction still running (or of one that started after
 * an older one still running) is returned by a later read, once the fence has moved past it.
 */
class ChangeLog {

	static final String PRUNED_THROUGH = "changes-pruned-through";

	private static final String READ = """
			WITH f AS (
			    SELECT pg_snapshot_xmin(pg_current_snapshot()) AS fence,
			           (SELECT s.value FROM catalog_settings s WHERE s.name = '%s') AS pruned_through)
			SELECT f.fence::text AS fence, f.pruned_through,
			       c.txid::text AS txid, c.seq, c.kind, c.collection_ids, c.artifact_types, c.data::text AS data,
			       c.recorded_at
			  FROM f
			  LEFT JOIN LATERAL (
			       SELECT l.txid, l.seq, l.kind, l.collection_ids, l.artifact_types, l.data, l.recorded_at
			         FROM catalog_changes l
			        WHERE (l.txid, l.seq) > (CAST(:txid AS xid8), :seq) AND l.txid < f.fence
			        ORDER BY l.txid, l.seq
			        LIMIT :limit) c ON true
			 ORDER BY c.txid, c.seq
			""".formatted(PRUNED_THROUGH);

	/**
	 * Deletes what is older than the cutoff and moves the pruned-through position forward (never
	 * back: instances prune concurrently and idempotently).
	 */
	private static final String PRUNE = """
			WITH pruned AS (
			    DELETE FROM catalog_changes c
			     WHERE c.recorded_at < clock_timestamp() - :retentionMillis * interval '1 millisecond'
			    RETURNING c.txid, c.seq),
			horizon AS (
			    SELECT p.txid, p.seq FROM pruned p ORDER BY p.txid DESC, p.seq DESC LIMIT 1)
			INSERT INTO catalog_settings AS s (name, value)
			SELECT '%1$s', h.txid::text || '-' || h.seq FROM horizon h
			ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
			 WHERE (CAST(split_part(s.value, '-', 1) AS xid8), CAST(split_part(s.value, '-', 2) AS bigint))
			     < (CAST(split_part(EXCLUDED.value, '-', 1) AS xid8), CAST(split_part(EXCLUDED.value, '-', 2) AS bigint))
			""".formatted(PRUNED_THROUGH);

	/** The fence of a snapshot taken now: the oldest transaction still running, or the next to start. */
	private static final String FENCE = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS fence";

	private final DatabaseClient database;

	private final Counter statements;

	/** @param database on the feed's own pool ({@link ChangeConnections}) */
	ChangeLog(DatabaseClient database, MeterRegistry registry) {
		this.database = database;
		this.statements = Counter.builder("catalog.changes.statements")
			.description("SQL statements run by the change feed: its reads, resuming clients' reads, pruning")
			.register(registry);
	}

	/**
	 * What one read saw.
	 *
	 * @param changes up to the limit, in feed order, all after the position read from
	 * @param fence every change not returned and after the position read from is at or after
	 * {@code Position.fence(fence)}
	 * @param prunedThrough the last position pruned, if any: a client behind it missed changes
	 */
	record Batch(List<Change> changes, long fence, @Nullable Position prunedThrough) {

		/** Where a reader that has taken this whole batch stands. */
		Position end(Position after, int limit) {
			if (!this.changes.isEmpty() && (this.changes.size() >= limit)) {
				return this.changes.get(this.changes.size() - 1).position();
			}
			// everything below the fence after the position has been returned
			Position fenced = Position.fence(this.fence);
			Position last = this.changes.isEmpty() ? after : this.changes.get(this.changes.size() - 1).position();
			return fenced.isAfter(last) ? fenced : last;
		}

	}

	/** Up to {@code limit} changes after {@code after}, below the read's fence; one statement. */
	Mono<Batch> read(Position after, int limit) {
		return this.database.sql(READ)
			.filter((statement) -> {
				this.statements.increment();
				return statement;
			})
			.bind("txid", Long.toString(after.txid()))
			.bind("seq", after.seq())
			.bind("limit", limit)
			.map(ChangeLog::row)
			.all()
			.collectList()
			.map((rows) -> {
				List<Change> changes = new ArrayList<>(rows.size());
				for (Row row : rows) {
					if (row.change() != null) {
						changes.add(row.change());
					}
				}
				Row first = rows.get(0);
				return new Batch(changes, first.fence(), first.prunedThrough());
			});
	}

	/**
	 * The position of this moment: every transaction that commits from now on records its
	 * changes after it (it is still running, or starts later, so its id is at or above the
	 * fence); one statement.
	 */
	Mono<Position> now() {
		return this.database.sql(FENCE).filter((statement) -> {
			this.statements.increment();
			return statement;
		}).map((row) -> Position.fence(Long.parseLong(row.get("fence", String.class)))).one();
	}

	/** Deletes changes recorded longer ago than the retention; one statement. */
	Mono<Void> prune(Duration retention) {
		return this.database.sql(PRUNE).filter((statement) -> {
			this.statements.increment();
			return statement;
		}).bind("retentionMillis", retention.toMillis()).then();
	}

	private record Row(long fence, @Nullable Position prunedThrough, @Nullable Change change) {

	}

	private static Row row(Readable row) {
		String pruned = row.get("pruned_through", String.class);
		String txid = row.get("txid", String.class);
		Change change = null;
		if (txid != null) {
			change = new Change(new Position(Long.parseLong(txid), row.get("seq", Long.class)),
					row.get("kind", String.class), Arrays.asList(row.get("collection_ids", UUID[].class)),
					Arrays.asList(row.get("artifact_types", String[].class)), row.get("data", String.class),
					row.get("recorded_at", Instant.class));
		}
		return new Row(Long.parseLong(row.get("fence", String.class)),
				(pruned != null) ? Position.decode(pruned) : null, change);
	}

}
