/**
 * Catalog totals ({@code GET /api/v1/stats}) in one statement, memberships summed from the
 * exact per-collection counts rather than counted row by row.
 */
package dev.catalog.stats;
