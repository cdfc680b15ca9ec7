/**
 * Catalog totals ({@code GET /api/v1/stats}) in one statement, memberships summed from the
 * exact per-collection counts rather than counted row by row, served as JSON through the shared
 * cache.
 * <p>
 * Entry points: {@link dev.catalog.stats.StatsRoutes} is the route table, {@link
 * dev.catalog.stats.StatsConfiguration} builds it and registers the totals for cache warm-up.
 * Uses {@code artifact} for the artifact types; no other package uses this one.
 */
@NullMarked
package dev.catalog.stats;

import org.jspecify.annotations.NullMarked;
