/**
 * The Artifact Catalog API: a reactive service that serves artifacts grouped into
 * collections, each list page read in one SQL statement and answered from a shared Redis cache.
 * <p>
 * Packages, from the top down (each may use only those below it, as {@code ArchitectureTests}
 * checks):
 * <ul>
 * <li>{@code artifact}, {@code collection}, {@code stats}: the features, each a routes class,
 * a configuration, handlers, and its SQL;</li>
 * <li>{@code cache}: the stale-while-revalidate response cache in Redis, shared by every
 * instance;</li>
 * <li>{@code web}: problem+json errors, JSON input, cursors and paging, tokens, load shedding,
 * server loops, the shared OpenAPI pieces;</li>
 * <li>{@code db}: write transactions and how writes tell the cache, what a database failure
 * means, the pool, statement accounting.</li>
 * </ul>
 * {@code embedded} (the default run's own PostgreSQL and Redis, and seeding) stands apart,
 * wired in only through {@code META-INF}.
 */
@NullMarked
package dev.catalog;

import org.jspecify.annotations.NullMarked;
