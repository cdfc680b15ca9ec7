package dev.catalog.db;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Result;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.util.context.ContextView;

/**
 * Counts every SQL statement the service runs, in Micrometer ({@code catalog.db.statements},
 * {@code catalog.db.statement.duration}) and against the request it ran for
 * ({@link RequestStatements}, found in the Reactor context of the statement's subscriber, so no
 * thread-local is needed), and warns about slow ones. An execution counts once, when its
 * results end: completed, failed or cancelled (a {@code first()} that stops reading); it is
 * recorded before the end reaches the subscriber, so a response built from the statement's
 * results already counts it when it is committed ({@code Server-Timing}).
 * <p>
 * Applied to every pooled connection by {@link CountingConnectionFactory}. This replaced
 * r2dbc-proxy, whose JDK proxies and per-method callbacks on every connection, statement and
 * result cost a bypassed detail about a sixth of its service CPU for the one callback used here
 * ({@code bench/results/ab/statement-counter.md}).
 */
final class StatementCounter {

	private static final Logger logger = LoggerFactory.getLogger(StatementCounter.class);

	private final Counter statements;

	private final Timer durations;

	private final long slowNanos;

	StatementCounter(MeterRegistry registry, StatementProperties properties) {
		this.statements = Counter.builder("catalog.db.statements")
			.description("SQL statements executed")
			.register(registry);
		this.durations = Timer.builder("catalog.db.statement.duration")
			.description("Time from executing a statement to its last result row")
			.register(registry);
		this.slowNanos = properties.slowThreshold().toNanos();
	}

	/**
	 * {@code results} of executing {@code count} statements ({@code sql}: the first one's text),
	 * counted when they end, for each subscription.
	 */
	Flux<Result> counted(Publisher<? extends Result> results, int count, String sql) {
		return Flux.deferContextual((context) -> {
			Execution execution = new Execution(count, sql, context, System.nanoTime());
			return Flux.<Result>from(results).doOnTerminate(execution::ended).doOnCancel(execution::ended);
		});
	}

	private void record(int count, long nanos, ContextView context, String sql) {
		this.statements.increment(count);
		this.durations.record(nanos, TimeUnit.NANOSECONDS);
		RequestStatements request = RequestStatements.from(context);
		if (request != null) {
			request.add(count, nanos);
		}
		if (nanos > this.slowNanos && logger.isWarnEnabled()) {
			logger.warn("Slow statement ({} ms): {}", nanos / 1_000_000, abbreviate(sql));
		}
	}

	static String abbreviate(String sql) {
		String oneLine = sql.strip().replaceAll("\\s+", " ");
		return (oneLine.length() <= 160) ? oneLine : oneLine.substring(0, 160) + "...";
	}

	/** One subscription to a statement's results; ends once, whichever signal comes first. */
	private final class Execution extends AtomicBoolean {

		private final int count;

		private final String sql;

		private final ContextView context;

		private final long started;

		Execution(int count, String sql, ContextView context, long started) {
			this.count = count;
			this.sql = sql;
			this.context = context;
			this.started = started;
		}

		void ended() {
			if (compareAndSet(false, true)) {
				record(this.count, System.nanoTime() - this.started, this.context, this.sql);
			}
		}

	}

}
