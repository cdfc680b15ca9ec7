package dev.catalog.db;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * SQL statements run on behalf of one HTTP request, and the database time they took. One is
 * put in the Reactor context of every request by {@link StatementAccountingWebFilter}; the
 * {@link StatementCounter} adds to the one it finds in the context of the statement's subscriber.
 */
public final class RequestStatements {

	private final AtomicInteger count = new AtomicInteger();

	private final AtomicLong nanos = new AtomicLong();

	void add(int statements, long elapsedNanos) {
		this.count.addAndGet(statements);
		this.nanos.addAndGet(elapsedNanos);
	}

	public int count() {
		return this.count.get();
	}

	public long nanos() {
		return this.nanos.get();
	}

	/** The accumulator of the request whose pipeline carries the given context, if any. */
	public static @Nullable RequestStatements from(ContextView context) {
		return context.getOrDefault(RequestStatements.class, null);
	}

}
