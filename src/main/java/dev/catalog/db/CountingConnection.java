package dev.catalog.db;

import java.time.Duration;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A connection whose statements and batches are counted ({@link StatementCounter}); everything
 * else is the driver's connection's own. Transaction control ({@code BEGIN}, {@code COMMIT})
 * is not a statement here, as it never was: a page is one statement whether or not it runs in a
 * transaction.
 */
final class CountingConnection implements Connection, Wrapped<Connection> {

	private final Connection delegate;

	private final StatementCounter counter;

	CountingConnection(Connection delegate, StatementCounter counter) {
		this.delegate = delegate;
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

	@Override
	public Connection unwrap() {
		return this.delegate;
	}

	@Override
	public Publisher<Void> beginTransaction() {
		return this.delegate.beginTransaction();
	}

	@Override
	public Publisher<Void> beginTransaction(TransactionDefinition definition) {
		return this.delegate.beginTransaction(definition);
	}

	@Override
	public Publisher<Void> close() {
		return this.delegate.close();
	}

	@Override
	public Publisher<Void> commitTransaction() {
		return this.delegate.commitTransaction();
	}

	@Override
	public Publisher<Void> createSavepoint(String name) {
		return this.delegate.createSavepoint(name);
	}

	@Override
	public boolean isAutoCommit() {
		return this.delegate.isAutoCommit();
	}

	@Override
	public ConnectionMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public IsolationLevel getTransactionIsolationLevel() {
		return this.delegate.getTransactionIsolationLevel();
	}

	@Override
	public Publisher<Void> releaseSavepoint(String name) {
		return this.delegate.releaseSavepoint(name);
	}

	@Override
	public Publisher<Void> rollbackTransaction() {
		return this.delegate.rollbackTransaction();
	}

	@Override
	public Publisher<Void> rollbackTransactionToSavepoint(String name) {
		return this.delegate.rollbackTransactionToSavepoint(name);
	}

	@Override
	public Publisher<Void> setAutoCommit(boolean autoCommit) {
		return this.delegate.setAutoCommit(autoCommit);
	}

	@Override
	public Publisher<Void> setLockWaitTimeout(Duration timeout) {
		return this.delegate.setLockWaitTimeout(timeout);
	}

	@Override
	public Publisher<Void> setStatementTimeout(Duration timeout) {
		return this.delegate.setStatementTimeout(timeout);
	}

	@Override
	public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
		return this.delegate.setTransactionIsolationLevel(level);
	}

	@Override
	public Publisher<Boolean> validate(ValidationDepth depth) {
		return this.delegate.validate(depth);
	}

	/** One statement per execution, however many binding sets it carries. */
	private final class CountingStatement implements Statement, Wrapped<Statement> {

		private final Statement statement;

		private final String sql;

		CountingStatement(Statement statement, String sql) {
			this.statement = statement;
			this.sql = sql;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return CountingConnection.this.counter.counted(this.statement.execute(), 1, this.sql);
		}

		@Override
		public Statement add() {
			this.statement.add();
			return this;
		}

		@Override
		public Statement bind(int index, Object value) {
			this.statement.bind(index, value);
			return this;
		}

		@Override
		public Statement bind(String name, Object value) {
			this.statement.bind(name, value);
			return this;
		}

		@Override
		public Statement bindNull(int index, Class<?> type) {
			this.statement.bindNull(index, type);
			return this;
		}

		@Override
		public Statement bindNull(String name, Class<?> type) {
			this.statement.bindNull(name, type);
			return this;
		}

		@Override
		public Statement returnGeneratedValues(String... columns) {
			this.statement.returnGeneratedValues(columns);
			return this;
		}

		@Override
		public Statement fetchSize(int rows) {
			this.statement.fetchSize(rows);
			return this;
		}

		@Override
		public Statement unwrap() {
			return this.statement;
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
