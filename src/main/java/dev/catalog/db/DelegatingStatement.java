package dev.catalog.db;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A statement that does what the one it wraps does, returning itself where the SPI returns the
 * statement; subclasses change what they need ({@link CountingConnection}, {@link GuardedConnection}).
 */
abstract class DelegatingStatement implements Statement, Wrapped<Statement> {

	protected final Statement statement;

	DelegatingStatement(Statement statement) {
		this.statement = statement;
	}

	@Override
	public Publisher<? extends Result> execute() {
		return this.statement.execute();
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
