package dev.catalog.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.core.QueryInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.util.context.ContextView;

/**
 * Counts every SQL statement the service runs, in Micrometer ({@code catalog.db.statements},
 * {@code catalog.db.statement.duration}) and against the request it ran for. r2dbc-proxy
 * stores the subscriber's Reactor context in the execution's value store, which is how a
 * statement finds its request without thread-locals.
 */
class StatementCountingListener implements ProxyExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(StatementCountingListener.class);

	private final Counter statements;

	private final Timer durations;

	private final long slowNanos;

	StatementCountingListener(MeterRegistry registry, StatementProperties properties) {
		this.statements = Counter.builder("catalog.db.statements")
			.description("SQL statements executed")
			.register(registry);
		this.durations = Timer.builder("catalog.db.statement.duration")
			.description("Time from executing a statement to its last result row")
			.register(registry);
		this.slowNanos = properties.slowThreshold().toNanos();
	}

	private static String abbreviate(QueryInfo query) {
		String oneLine = query.getQuery().strip().replaceAll("\\s+", " ");
		return (oneLine.length() <= 160) ? oneLine : oneLine.substring(0, 160) + "...";
	}

	@Override
	public void afterQuery(QueryExecutionInfo execution) {
		// r2dbc-proxy may report one failed execution more than once (its result and its
		// execution both end in the error): counted once
		if (execution.getValueStore().get(StatementCountingListener.class) != null) {
			return;
		}
		execution.getValueStore().put(StatementCountingListener.class, Boolean.TRUE);
		int count = Math.max(1, execution.getBatchSize());
		long nanos = execution.getExecuteDuration().toNanos();
		this.statements.increment(count);
		this.durations.record(execution.getExecuteDuration());
		ContextView context = execution.getValueStore().get(ContextView.class, ContextView.class);
		RequestStatements request = (context != null) ? RequestStatements.from(context) : null;
		if (request != null) {
			request.add(count, nanos);
		}
		if (nanos > this.slowNanos && logger.isWarnEnabled()) {
			logger.warn("Slow statement ({} ms): {}", nanos / 1_000_000,
					execution.getQueries().stream().map(StatementCountingListener::abbreviate).findFirst().orElse("?"));
		}
	}

}
