package dev.catalog.db;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service talks to PostgreSQL beyond the pool ({@code catalog.db.*}; the pool itself
 * is {@code spring.r2dbc.pool.*}).
 *
 * @param statementTimeout PostgreSQL cancels any statement of the service that runs longer
 * (its {@code statement_timeout}); the request then gets 503 with {@code Retry-After}. Zero
 * means no limit. Seeding lifts it for its own transaction.
 * @param preparedStatementCacheQueries prepared statements kept per connection (least
 * recently used ones are closed); the filter combinations of the list endpoints make the set
 * of statement texts open-ended, so it is bounded. 0 prepares nothing, -1 keeps every one.
 * @param sharedEventLoops run the database connections on the HTTP server's event loops
 * instead of the driver's own set of loop threads (fewer threads on few cores)
 * @param writeTimeout bound on a write's whole transaction, measured by the service: a
 * PostgreSQL that hangs (rather than refuses) cannot enforce its own statement timeout; past it
 * the write is answered 503 with {@code Retry-After}, its transaction abandoned (PostgreSQL rolls
 * it back when the connection closes), so nothing of it is applied
 */
@ConfigurationProperties("catalog.db")
public record DatabaseProperties(@DefaultValue("5s") Duration statementTimeout,
		@DefaultValue("256") int preparedStatementCacheQueries, @DefaultValue("false") boolean sharedEventLoops,
		@DefaultValue("10s") Duration writeTimeout) {

	public DatabaseProperties {
		if (statementTimeout.isNegative()) {
			throw new IllegalArgumentException("catalog.db.statement-timeout must not be negative");
		}
		if (writeTimeout.isNegative() || writeTimeout.isZero()) {
			throw new IllegalArgumentException("catalog.db.write-timeout must be positive");
		}
		if (preparedStatementCacheQueries < -1) {
			throw new IllegalArgumentException("catalog.db.prepared-statement-cache-queries must be -1 or more");
		}
	}

}
