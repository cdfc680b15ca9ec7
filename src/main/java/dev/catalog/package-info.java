/**
 * The Artifact Catalog API: a reactive service that serves artifacts grouped into
 * collections, each list page read in one SQL statement and answered from a shared Redis cache.
 * Packages are by feature: {@code artifact}, {@code collection}, {@code stats}, {@code cache}
 * and {@code system}.
 */
package dev.catalog;
