package dev.catalog.db;

import reactor.core.publisher.Mono;

/**
 * How writes tell the cache that the catalog changed.
 * <p>
 * Every successful write calls {@link #committed()} after its transaction has committed and
 * before its response is sent; once the returned {@code Mono} completes, no instance serves a
 * cached answer that predates the write. The {@code Mono} never fails: if Redis cannot be
 * told now, the implementation makes sure it is told before any instance serves from it again.
 */
public interface CatalogChanges {

	Mono<Void> committed();

	/**
	 * Like {@link #committed()}, for a write whose commit is at or before WAL position
	 * {@code walPosition} (bytes; 0 if not known): once the {@code Mono} completes, reads that the
	 * cache loads from a replica also require the replica to have replayed that far
	 * ({@link Replicas}).
	 */
	default Mono<Void> committed(long walPosition) {
		return committed();
	}

}
