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
 * The durable log ({@code catalog_changes}, ordered by {@code catalog_commits}), each read one
 * statement.
 * <p>
 * Commit order without gaps: a transaction that recorded changes is numbered as it commits,
 * under a lock held until its commit is visible (migration {@code 040-commit-order.sql}), so the
 * commits a snapshot sees are exactly those numbered up to the highest it sees. A read returns
 * changes after a position in {@code (commit, seq)} order; no change can later appear behind a
 * position a reader has passed, and one that waited for another's lock, or saw its write, comes
 * after it.
 */
class ChangeLog {

	static final String PRUNED_THROUGH = "changes-pruned-through";

	/** The commit after the last one a statement's snapshot sees: every later commit is at or after it. */
	private static final String NEXT_COMMIT = "COALESCE((SELECT max(m.position) FROM catalog_commits m), 0) + 1";

	private static final String READ = """
			WITH f AS (
			    SELECT %s AS fence,
			           (SELECT s.value FROM catalog_settings s WHERE s.name = '%s') AS pruned_through)
			SELECT f.fence, f.pruned_through,
			       c.position, c.seq, c.kind, c.collection_ids, c.artifact_types, c.data::text AS data,
			       c.recorded_at
			  FROM f
			  LEFT JOIN LATERAL (
			       SELECT m.position, l.seq, l.kind, l.collection_ids, l.artifact_types, l.data, l.recorded_at
			         FROM catalog_commits m
			         JOIN catalog_changes l ON l.txid = m.txid
			        WHERE m.position >= :commit AND (m.position > :commit OR l.seq > :seq)
			        ORDER BY m.position, l.seq
			        LIMIT :limit) c ON true
			 ORDER BY c.position, c.seq
			""".formatted(NEXT_COMMIT, PRUNED_THROUGH);

	/**
	 * Deletes what is older than the cutoff and moves the pruned-through position forward (never
	 * back: instances prune concurrently and idempotently). A commit's number goes once its
	 * changes are gone (its commit came after them).
	 */
	private static final String PRUNE = """
			WITH pruned AS (
			    DELETE FROM catalog_changes c
			     WHERE c.recorded_at < clock_timestamp() - :retentionMillis * interval '1 millisecond'
			    RETURNING c.txid, c.seq),
			commits AS (
			    DELETE FROM catalog_commits m
			     WHERE m.committed_at < clock_timestamp() - :retentionMillis * interval '1 millisecond'),
			horizon AS (
			    SELECT m.position, p.seq FROM pruned p JOIN catalog_commits m ON m.txid = p.txid
			     ORDER BY m.position DESC, p.seq DESC LIMIT 1)
			INSERT INTO catalog_settings AS s (name, value)
			SELECT '%1$s', h.position || '.' || h.seq FROM horizon h
			ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
			 WHERE (CAST(split_part(s.value, '.', 1) AS bigint), CAST(split_part(s.value, '.', 2) AS bigint))
			     < (CAST(split_part(EXCLUDED.value, '.', 1) AS bigint), CAST(split_part(EXCLUDED.value, '.', 2) AS bigint))
			""".formatted(PRUNED_THROUGH);

	/** The fence of a snapshot taken now: the commit after the last one it sees. */
	private static final String FENCE = "SELECT " + NEXT_COMMIT + " AS fence";

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
			.bind("commit", after.commit())
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
	 * The position of this moment: every transaction that commits from now on is numbered after
	 * the last commit this statement sees, so its changes come after the position; one statement.
	 */
	Mono<Position> now() {
		return this.database.sql(FENCE).filter((statement) -> {
			this.statements.increment();
			return statement;
		}).map((row) -> Position.fence(row.get("fence", Long.class))).one();
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
		Long commit = row.get("position", Long.class);
		Change change = null;
		if (commit != null) {
			change = new Change(new Position(commit, row.get("seq", Long.class)),
					row.get("kind", String.class), Arrays.asList(row.get("collection_ids", UUID[].class)),
					Arrays.asList(row.get("artifact_types", String[].class)), row.get("data", String.class),
					row.get("recorded_at", Instant.class));
		}
		return new Row(row.get("fence", Long.class),
				(pruned != null) ? Position.decode(pruned) : null, change);
	}

}
