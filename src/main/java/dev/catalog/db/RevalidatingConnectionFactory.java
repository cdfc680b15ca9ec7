package dev.catalog.db;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;

/**
 * The connection pool, with one difference: an acquire whose pooled connection fails
 * validation is tried again at once. After PostgreSQL restarts every idle pooled connection is
 * dead; the pool drops one that fails validation and reports the failure, so without this each
 * dead connection would cost a request a 503 (a timed-out acquire is not retried at all,
 * {@code spring.r2dbc.pool.acquire-retry=0}, so that a request never waits longer than the
 * acquire timeout). Only validation failures are retried, at most as many times as the pool
 * holds connections, each try dropping one dead connection.
 * <p>
 * Nothing to close here: Spring destroys the pool bean itself (its {@code dispose}), not what
 * a post-processor put in front of it.
 */
final class RevalidatingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

	/** What r2dbc-pool reports when a pooled connection fails validation on acquire. */
	static final String VALIDATION_FAILED = "Connection validation failed";

	private final ConnectionPool pool;

	private final Mono<Connection> create;

	RevalidatingConnectionFactory(ConnectionPool pool) {
		this.pool = pool;
		int retries = pool.getMetrics().map(PoolMetrics::getMaxAllocatedSize).orElse(20);
		this.create = acquire(retries);
	}

	/**
	 * An acquire, and another when it fails validation, {@code retries} times at most. Not
	 * {@code retryWhen}: that builds a sink and a companion flux for every acquire, about 2 % of
	 * a bypassed detail's CPU in a profile, while an acquire almost never fails.
	 */
	private Mono<Connection> acquire(int retries) {
		Mono<Connection> once = this.pool.create();
		return (retries <= 0) ? once
				: once.onErrorResume(RevalidatingConnectionFactory::failedValidation, (ex) -> acquire(retries - 1));
	}

	static boolean failedValidation(Throwable failure) {
		return failure instanceof R2dbcNonTransientResourceException && VALIDATION_FAILED.equals(failure.getMessage());
	}

	@Override
	public Mono<Connection> create() {
		return this.create;
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.pool.getMetadata();
	}

	/** The pool itself, so that metrics and health find it. */
	@Override
	public ConnectionFactory unwrap() {
		return this.pool;
	}

}
