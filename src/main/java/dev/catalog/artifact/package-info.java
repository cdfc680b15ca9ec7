/**
 * Artifacts: the list of all artifacts (JSON pages, NDJSON and Server-Sent Event streams), the
 * list's facet counts (per type, top tags, top collections, for the list's filters), one
 * artifact, and the artifact writes (create, merge patch, delete, versions). Each read is one
 * hand-written SQL statement that brings the page's tags, collections and exact collection sizes
 * with it; streams read keyset chunks paced by the reader's demand. The facets are one
 * statement too ({@link dev.catalog.artifact.FacetQueries}).
 * <p>
 * Entry points: {@link dev.catalog.artifact.ArtifactRoutes} is the route table (every artifact
 * route and its OpenAPI operation), {@link dev.catalog.artifact.ArtifactConfiguration} builds it
 * and the queries, writes and handlers behind it, and registers the first page and the
 * unfiltered facets for cache warm-up.
 * <p>
 * Used by other packages: {@link dev.catalog.artifact.ArtifactLists}, to which the collection
 * feature routes a collection's members (the members list is an artifact list: same SQL shape,
 * same representations), and {@link dev.catalog.artifact.ArtifactType}, by which the stats count.
 * {@link dev.catalog.artifact.ArtifactQueries} and the answer records are public for the
 * benchmark. This package uses no other feature.
 */
@NullMarked
package dev.catalog.artifact;

import org.jspecify.annotations.NullMarked;
