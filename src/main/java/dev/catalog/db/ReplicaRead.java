package dev.catalog.db;

import io.r2dbc.spi.Connection;
import reactor.core.publisher.Mono;

/**
 * Put in a read's Reactor context by {@link Replicas#read}: the connection factory then hands
 * the read a connection of {@code replica} whose statements are guarded by {@code needed} (WAL
 * position) and {@code neededCommit} (change feed commit, 0 for none).
 */
record ReplicaRead(Replica replica, long needed, long neededCommit) {

	Mono<Connection> connect() {
		return this.replica.connect(this.needed, this.neededCommit);
	}

}
