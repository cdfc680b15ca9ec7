package dev.catalog.db;

import io.r2dbc.proxy.callback.ProxyConfig;
import io.r2dbc.proxy.callback.ProxyFactory;
import io.r2dbc.proxy.callback.QueriesExecutionContext;
import io.r2dbc.proxy.core.ConnectionInfo;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.core.StatementInfo;
import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Result.RowSegment;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;

/**
 * r2dbc-proxy's JDK proxies for everything but rows: statements are still counted and timed
 * ({@link StatementCountingListener} needs executions and results), but a row is handed to the
 * code that maps it as the driver made it. Proxied, every {@code Row.get} went through a
 * reflective invocation handler and the listeners' method callbacks, which nothing here uses,
 * and that was a measurable share of a cache miss's CPU (bench/results/cpu).
 */
final class UnproxiedRows implements ProxyFactory {

	private final ProxyFactory proxies;

	private UnproxiedRows(ProxyFactory proxies) {
		this.proxies = proxies;
	}

	/** Makes {@code config} leave rows unproxied, and proxy the rest as it did. */
	static void apply(ProxyConfig config) {
		ProxyFactory proxies = config.getProxyFactory();
		config.setProxyFactoryFactory((same) -> new UnproxiedRows(proxies));
	}

	@Override
	public ConnectionFactory wrapConnectionFactory(ConnectionFactory connectionFactory) {
		return this.proxies.wrapConnectionFactory(connectionFactory);
	}

	@Override
	public Connection wrapConnection(Connection connection, ConnectionInfo connectionInfo) {
		return this.proxies.wrapConnection(connection, connectionInfo);
	}

	@Override
	public Batch wrapBatch(Batch batch, ConnectionInfo connectionInfo) {
		return this.proxies.wrapBatch(batch, connectionInfo);
	}

	@Override
	public Statement wrapStatement(Statement statement, StatementInfo statementInfo, ConnectionInfo connectionInfo) {
		return this.proxies.wrapStatement(statement, statementInfo, connectionInfo);
	}

	@Override
	public Result wrapResult(Result result, QueryExecutionInfo executionInfo,
			QueriesExecutionContext queriesExecutionContext) {
		return this.proxies.wrapResult(result, executionInfo, queriesExecutionContext);
	}

	@Override
	public Row wrapRow(Row row, QueryExecutionInfo executionInfo) {
		return row;
	}

	@Override
	public RowSegment wrapRowSegment(RowSegment segment, QueryExecutionInfo executionInfo) {
		return segment;
	}

}
