package dev.catalog.db;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;

/**
 * Connections whose statements and batches are counted by a {@link StatementCounter}: a plain
 * delegating wrapper, so a row, a result and every other call reach the driver directly. Put
 * under the pool of the primary and of every replica as a Boot {@link ConnectionFactoryDecorator}.
 */
final class CountingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private final ConnectionFactory delegate;

	private final StatementCounter counter;

	CountingConnectionFactory(ConnectionFactory delegate, StatementCounter counter) {
		this.delegate = delegate;
		this.counter = counter;
	}

	/** Decorates a connection factory Boot builds (the primary's, and the replicas' in {@link ReplicaConfiguration}). */
	static ConnectionFactoryDecorator decorator(StatementCounter counter) {
		return (connections) -> new CountingConnectionFactory(connections, counter);
	}

	@Override
	public Mono<Connection> create() {
		return Mono.from(this.delegate.create()).map((connection) -> new CountingConnection(connection, this.counter));
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

}
