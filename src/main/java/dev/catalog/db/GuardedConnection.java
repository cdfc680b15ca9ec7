package dev.catalog.db;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.reactivestreams.Publisher;

/**
 * A replica's pooled connection whose queries check, in the same statement, that the replica
 * has replayed the WAL up to the last write the cache knows of, and (for a list stream) holds
 * the change feed's commit its position covers: a query {@code q} runs as
 * {@code SELECT * FROM (q) AS replica_read WHERE catalog_caught_up($n::pg_lsn, $n+1)}. The guard
 * is a one-time filter, evaluated before any row is read; a replica that is behind fails the
 * statement with SQLSTATE {@value #BEHIND} (migration {@code 041-replica-commit-guard.sql}) and
 * {@link Replicas#read} runs the read again on the primary. Still one statement per query, and
 * the inner query's order is kept (a subquery with ORDER BY or LIMIT is not flattened).
 * <p>
 * Only {@code SELECT} and {@code WITH} texts are guarded; anything else is passed as it is (a
 * replica refuses writes by itself).
 */
final class GuardedConnection extends DelegatingConnection {

	/** SQLSTATE of {@code catalog_caught_up} when the replica has not replayed far enough. */
	static final String BEHIND = "CRLAG";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

	private final String needed;

	private final long neededCommit;

	private final Counter statements;

	/** Requires {@code needed} (WAL bytes) replayed and feed commit {@code neededCommit} (0: none) held. */
	GuardedConnection(Connection delegate, long needed, long neededCommit, Counter statements) {
		super(delegate);
		this.needed = lsn(needed);
		this.neededCommit = neededCommit;
		this.statements = statements;
	}

	/** A WAL position (bytes from the start) as PostgreSQL writes a {@code pg_lsn}. */
	static String lsn(long position) {
		return Long.toHexString(position >>> 32).toUpperCase(Locale.ROOT) + "/"
				+ Long.toHexString(position & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
	}

	/** The guarded text of a query with {@code parameters} placeholders, and where its guard goes. */
	static String guard(String sql, int parameters) {
		return "SELECT * FROM (\n" + sql + "\n) AS replica_read WHERE catalog_caught_up($" + (parameters + 1)
				+ "::pg_lsn, $" + (parameters + 2) + ")";
	}

	static boolean isQuery(String sql) {
		String start = sql.stripLeading().toLowerCase(Locale.ROOT);
		return start.startsWith("select") || start.startsWith("with");
	}

	/** The highest {@code $n} in a statement's text (the driver's placeholders, after Spring expanded the names). */
	static int parameters(String sql) {
		int highest = 0;
		Matcher matcher = PLACEHOLDER.matcher(sql);
		while (matcher.find()) {
			highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
		}
		return highest;
	}

	@Override
	public Statement createStatement(String sql) {
		if (!isQuery(sql)) {
			return this.delegate.createStatement(sql);
		}
		int parameters = parameters(sql);
		return new GuardedStatement(this.delegate.createStatement(guard(sql, parameters)), parameters);
	}

	/** The guarded statement: binds the needed positions as its last parameters, in every binding set. */
	private final class GuardedStatement extends DelegatingStatement {

		private final int guardIndex;

		GuardedStatement(Statement statement, int guardIndex) {
			super(statement);
			this.guardIndex = guardIndex;
			bindGuard(statement);
		}

		private void bindGuard(Statement statement) {
			statement.bind(this.guardIndex, GuardedConnection.this.needed)
				.bind(this.guardIndex + 1, GuardedConnection.this.neededCommit);
		}

		@Override
		public Statement add() {
			bindGuard(this.statement.add());
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			GuardedConnection.this.statements.increment();
			return this.statement.execute();
		}

	}

}
