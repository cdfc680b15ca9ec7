package dev.catalog.db;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.r2dbc.pool.ConnectionPoolException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * What a failure from the database path means: that PostgreSQL cannot answer now (so the
 * request deserves a 503 and a cached answer may stand in), or that a write lost a race and may
 * simply run again. Both look through the whole cause chain, since Spring, r2dbc-pool and
 * Reactor each wrap what the driver threw.
 */
public final class DatabaseFailures {

	/** Deadlock victim and serialization failure: the transaction can run again from the start. */
	private static final Set<String> RETRYABLE = Set.of("40P01", "40001");

	private static final Set<Class<? extends Throwable>> OUTAGES = Set.of(DataAccessResourceFailureException.class,
			TransientDataAccessResourceException.class, QueryTimeoutException.class,
			R2dbcTransientResourceException.class, R2dbcNonTransientResourceException.class, TimeoutException.class,
			ConnectException.class, ConnectionPoolException.class);

	private DatabaseFailures() {
	}

	/** Whether PostgreSQL (or the pool in front of it) cannot take the request now. */
	public static boolean isOutage(Throwable failure) {
		return OUTAGES.stream().anyMatch((type) -> causedBy(failure, type));
	}

	/** Whether PostgreSQL aborted the transaction as a deadlock victim or a serialization failure. */
	public static boolean isRetryable(Throwable failure) {
		return anyCause(failure,
				(cause) -> cause instanceof R2dbcException database && database.getSqlState() != null
						&& RETRYABLE.contains(database.getSqlState()));
	}

	/** Whether {@code failure} or anything in its cause chain is a {@code type}. */
	public static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
		return anyCause(failure, type::isInstance);
	}

	private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (test.test(current)) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

}
