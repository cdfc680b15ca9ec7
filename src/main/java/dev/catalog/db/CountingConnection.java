package dev.catalog.db;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A connection whose statements and batches are counted ({@link StatementCounter}); everything
 * else is the driver's connection's own. Transaction control ({@code BEGIN}, {@code COMMIT})
 * is not a statement here, as it never was: a page is one statement whether or not it runs in a
 * transaction.
 */
final class CountingConnection extends DelegatingConnection {

	private final StatementCounter counter;

	CountingConnection(Connection delegate, StatementCounter counter) {
		super(delegate);
		this.counter = counter;
	}

	@Override
	public Statement createStatement(String sql) {
		return new CountingStatement(this.delegate.createStatement(sql), sql);
	}

	@Override
	public Batch createBatch() {
		return new CountingBatch(this.delegate.createBatch());
	}

	/** One statement per execution, however many binding sets it carries. */
	private final class CountingStatement extends DelegatingStatement {

		private final String sql;

		CountingStatement(Statement statement, String sql) {
			super(statement);
			this.sql = sql;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return CountingConnection.this.counter.counted(this.statement.execute(), 1, this.sql);
		}

	}

	/** As many statements as texts were added. */
	private final class CountingBatch implements Batch, Wrapped<Batch> {

		private final Batch batch;

		private int count;

		private String first = "";

		CountingBatch(Batch batch) {
			this.batch = batch;
		}

		@Override
		public Batch add(String sql) {
			this.batch.add(sql);
			if (this.count++ == 0) {
				this.first = sql;
			}
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return CountingConnection.this.counter.counted(this.batch.execute(), Math.max(1, this.count), this.first);
		}

		@Override
		public Batch unwrap() {
			return this.batch;
		}

	}

}
