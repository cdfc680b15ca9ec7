/**
 * The shared response cache: stale-while-revalidate in one Redis shared by every instance, in
 * front of PostgreSQL, which stays the only source of truth.
 * <p>
 * Entry points: {@link dev.catalog.cache.ResponseCache} (every cacheable JSON read),
 * {@link dev.catalog.cache.WarmUpPath} (reads a feature wants loaded at start-up),
 * {@link dev.catalog.cache.StreamReads} (where list streams read their pages: a replica that has
 * replayed what the cache knows of),
 * {@link dev.catalog.cache.RedisConnection} (the shared Lettuce connection), and
 * {@code CatalogGenerations}, the {@link dev.catalog.db.CatalogChanges} that writes call.
 * <p>
 * Guarantees: once {@code CatalogChanges.committed()} completes, no instance serves an answer
 * loaded before the write (limits, such as a partition that cuts off only the writer, in
 * {@code CatalogGenerations}); a stale answer never waits for the database; at most one
 * background refresh of an entry runs across all instances; a read waits for Redis at most one
 * command timeout, and not at all while the circuit breaker is open, answering from PostgreSQL
 * instead; an answer is compressed when it is loaded, never on a hit. Design and limits:
 * {@code docs/design/cache.md}.
 */
@NullMarked
package dev.catalog.cache;

import org.jspecify.annotations.NullMarked;
