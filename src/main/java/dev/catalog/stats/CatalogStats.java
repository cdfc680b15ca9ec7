package dev.catalog.stats;

import java.util.Map;

/**
 * The size of the catalog.
 *
 * @param artifacts number of artifacts
 * @param collections number of collections
 * @param memberships number of (collection, artifact) memberships
 * @param artifactsByType number of artifacts of each type, every type present (0 if none)
 */
public record CatalogStats(long artifacts, long collections, long memberships, Map<String, Long> artifactsByType) {

}
