package dev.catalog.db;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;

/**
 * The service's one {@code ConnectionFactory} bean: the primary's pool, unless the subscriber's
 * Reactor context carries a {@link ReplicaRead} ({@link Replicas#read}), in which case the
 * connection is that replica's. Writes, transactions and every read not explicitly routed go to
 * the primary, so nothing that must see a write can land on a replica by default.
 */
final class ReadRoutingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private final ConnectionFactory primary;

	private final Mono<Connection> create;

	ReadRoutingConnectionFactory(ConnectionFactory primary) {
		this.primary = primary;
		Mono<Connection> onPrimary = Mono.from(primary.create());
		this.create = Mono.deferContextual((context) -> {
			ReplicaRead replica = context.getOrDefault(ReplicaRead.class, null);
			return (replica != null) ? replica.connect() : onPrimary;
		});
	}

	@Override
	public Mono<Connection> create() {
		return this.create;
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.primary.getMetadata();
	}

	/** The primary's factory (whose own unwrap is the pool), so that metrics and health find it. */
	@Override
	public ConnectionFactory unwrap() {
		return (this.primary instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory pool) ? pool
				: this.primary;
	}

}
