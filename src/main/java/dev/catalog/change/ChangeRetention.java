package dev.catalog.change;

import reactor.core.publisher.Mono;

/**
 * Deletes changes older than {@code catalog.changes.retention}. Every instance prunes on its
 * own timer: the delete is idempotent, and the pruned-through position only moves forward.
 * Age is measured on PostgreSQL's clock, which also stamped the changes.
 */
class ChangeRetention {

	private final ChangeLog log;

	private final ChangeProperties properties;

	ChangeRetention(ChangeLog log, ChangeProperties properties) {
		this.log = log;
		this.properties = properties;
	}

	/** @return completes once pruned */
	Mono<Void> prune() {
		return this.log.prune(this.properties.retention());
	}

}
