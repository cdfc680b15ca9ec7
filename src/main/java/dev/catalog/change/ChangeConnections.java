package dev.catalog.change;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;

/**
 * The feed's connections, made like the service's own but apart from its pool: the listening
 * connection, held for the life of the instance, and a small pool for the feed's reads (the
 * head's and resuming clients'). Kept apart so that a storm of reconnecting subscribers queues
 * on its own pool instead of starving requests, and so that the feed's background reads are not
 * counted as the requests' statements ({@code catalog.db.statements}): they are counted in
 * {@code catalog.changes.statements}. Not beans: a second {@code ConnectionFactory} bean would
 * make Spring Boot back off from the service's own.
 */
final class ChangeConnections implements DisposableBean {

	private final ConnectionFactory direct;

	private final ConnectionPool pool;

	ChangeConnections(R2dbcProperties r2dbc, int poolSize) {
		this.direct = ConnectionFactoryBuilder.withUrl(r2dbc.getUrl())
			.username(r2dbc.getUsername())
			.password(r2dbc.getPassword())
			.build();
		this.pool = new ConnectionPool(ConnectionPoolConfiguration.builder(this.direct)
			.name("change-feed")
			.initialSize(0)
			.maxSize(poolSize)
			.maxIdleTime(Duration.ofSeconds(30))
			.maxAcquireTime(Duration.ofSeconds(10))
			.build());
	}

	/** Unpooled: for the listening connection. */
	ConnectionFactory direct() {
		return this.direct;
	}

	ConnectionFactory pool() {
		return this.pool;
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}

}
