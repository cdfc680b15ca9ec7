/**
 * Collections and memberships: the collection list and detail, a collection's members (listed,
 * added, removed, changed in batches), and the writes that keep every {@code artifactCount}
 * exact in the same transaction as the membership change (statement-level triggers, one global
 * lock order, a bounded retry for deadlock victims).
 * <p>
 * Entry points: {@link dev.catalog.collection.CollectionRoutes} is the route table (every
 * collection and membership route and its OpenAPI operation), {@link
 * dev.catalog.collection.CollectionConfiguration} builds it and the queries, writes and handlers
 * behind it, and registers the first page for cache warm-up.
 * <p>
 * The members list ({@code GET /api/v1/collections/{id}/artifacts}) is routed here, beside the
 * membership writes, and served by {@link dev.catalog.artifact.ArtifactLists}: this package
 * depends on {@code artifact}, never the other way round. No other package uses this one.
 */
@NullMarked
package dev.catalog.collection;

import org.jspecify.annotations.NullMarked;
