package dev.catalog.artifact;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The facet counts of the artifact list ({@link ArtifactFacets}) in exactly one SQL statement,
 * every count exact. The filters are the list's own SQL conditions
 * ({@link ArtifactQueries#where}), so the facets count what the list would show.
 * <p>
 * The statement takes one of three shapes, by the filter:
 * <ul>
 * <li>no filter: nothing is joined. Types are counted on the type index (an index-only count
 * per type), tags by grouping {@code artifact_tags}, and collections are read from their
 * denormalised {@code artifact_count}, kept exact by the membership triggers (empty ones left
 * out, as a collection holding none of a filter's artifacts is).</li>
 * <li>only {@code type}: types as above (the type facet ignores the type filter); tags and
 * collections are counted over the artifacts of that type.</li>
 * <li>anything else: the artifacts matching every filter but {@code type} are selected once,
 * into a {@code MATERIALIZED} CTE of ids and types; types are counted on it, and tags and
 * collections over its rows of the chosen type, by joining it to {@code artifact_tags} and
 * {@code collection_artifacts}.</li>
 * </ul>
 * Tags and collections are ranked and cut to the configured top before any collection name is
 * read. The total is not counted again: it is the sum of the type counts, or with a type
 * filter that type's count.
 * <p>
 * Exact counts have a price a list page does not: with a filter, every matching artifact's tags
 * and memberships are read, so the cost grows with the number of matching artifacts (a few
 * milliseconds for a selective filter; seconds for one matching half of a million-artifact
 * catalog). Without one it grows with the catalog (tags and types), not with its memberships.
 */
class FacetQueries {

	private static final String TYPES = ArtifactType.NAMES.stream()
		.map((type) -> "('" + type + "')")
		.collect(Collectors.joining(", "));

	/** Artifacts per type in the whole catalog: an index-only count of each type's range. */
	private static final String CATALOG_TYPES = """
			type_counts AS (
			    SELECT k.type, (SELECT count(*) FROM artifacts a WHERE a.type = k.type) AS n
			      FROM (VALUES %s) AS k(type)),
			""".formatted(TYPES);

	private static final String CATALOG_TAGS_AND_COLLECTIONS = """
			tag_counts AS (
			    SELECT t.tag, count(*) AS n
			      FROM artifact_tags t
			     GROUP BY t.tag
			     ORDER BY n DESC, t.tag
			     LIMIT :topTags),
			collection_counts AS (
			    SELECT c.id, c.name, c.artifact_count AS n
			      FROM collections c
			     WHERE c.artifact_count > 0
			     ORDER BY c.artifact_count DESC, c.name, c.id
			     LIMIT :topCollections)
			""";

	/** The artifacts matching every filter but type (conditions {@code %s}), and their types. */
	private static final String FILTERED_TYPES = """
			filtered AS MATERIALIZED (
			    SELECT a.id, a.type
			      FROM artifacts a
			     WHERE %s),
			type_counts AS (
			    SELECT m.type, count(*) AS n
			      FROM filtered m
			     GROUP BY m.type),
			""";

	/**
	 * Tags and collections over the rows of {@code %1$s} (aliased {@code m}, with {@code id} and
	 * {@code type}) that meet {@code %2$s}.
	 */
	private static final String MATCHING_TAGS_AND_COLLECTIONS = """
			tag_counts AS (
			    SELECT t.tag, count(*) AS n
			      FROM %1$s m
			      JOIN artifact_tags t ON t.artifact_id = m.id
			     WHERE %2$s
			     GROUP BY t.tag
			     ORDER BY n DESC, t.tag
			     LIMIT :topTags),
			collection_counts AS (
			    SELECT c.id, c.name, x.n
			      FROM (SELECT ca.collection_id, count(*) AS n
			              FROM %1$s m
			              JOIN collection_artifacts ca ON ca.artifact_id = m.id
			             WHERE %2$s
			             GROUP BY ca.collection_id) AS x
			      JOIN collections c ON c.id = x.collection_id
			     ORDER BY x.n DESC, c.name, c.id
			     LIMIT :topCollections)
			""";

	/** Each facet as parallel arrays, in its order. */
	private static final String FACETS = """
			WITH %s
			SELECT ARRAY(SELECT k.type FROM type_counts k ORDER BY k.type) AS types,
			       ARRAY(SELECT k.n FROM type_counts k ORDER BY k.type) AS type_counts,
			       ARRAY(SELECT k.tag FROM tag_counts k ORDER BY k.n DESC, k.tag) AS tags,
			       ARRAY(SELECT k.n FROM tag_counts k ORDER BY k.n DESC, k.tag) AS tag_counts,
			       ARRAY(SELECT k.id FROM collection_counts k ORDER BY k.n DESC, k.name, k.id) AS collection_ids,
			       ARRAY(SELECT k.name FROM collection_counts k ORDER BY k.n DESC, k.name, k.id) AS collection_names,
			       ARRAY(SELECT k.n FROM collection_counts k ORDER BY k.n DESC, k.name, k.id) AS collection_counts
			""";

	private final DatabaseClient database;

	private final FacetProperties properties;

	FacetQueries(DatabaseClient database, FacetProperties properties) {
		this.database = database;
		this.properties = properties;
	}

	/** The facets of the artifacts matching {@code filter}, in one statement. */
	Mono<ArtifactFacets> facets(ArtifactFilter filter) {
		Map<String, Object> binds = new LinkedHashMap<>();
		String ctes;
		String ofType = "true";
		if (filter.type() != null) {
			ofType = "m.type = :type";
			binds.put("type", filter.type());
		}
		if (filter.equals(ArtifactFilter.NONE)) {
			ctes = CATALOG_TYPES + CATALOG_TAGS_AND_COLLECTIONS;
		}
		else if (filter.withoutType().equals(ArtifactFilter.NONE)) {
			ctes = CATALOG_TYPES + MATCHING_TAGS_AND_COLLECTIONS.formatted("artifacts", ofType);
		}
		else {
			ctes = FILTERED_TYPES.formatted(ArtifactQueries.where(filter.withoutType(), null, "", binds))
					+ MATCHING_TAGS_AND_COLLECTIONS.formatted("filtered", ofType);
		}
		binds.put("topTags", this.properties.topTags());
		binds.put("topCollections", this.properties.topCollections());
		return ArtifactQueries.bind(this.database.sql(FACETS.formatted(ctes)), binds)
			.map((row) -> facets(row, filter.type()))
			.one();
	}

	private static ArtifactFacets facets(Readable row, @Nullable String type) {
		Map<String, Long> types = new LinkedHashMap<>();
		ArtifactType.NAMES.forEach((name) -> types.put(name, 0L));
		String[] typeNames = row.get("types", String[].class);
		Long[] typeCounts = row.get("type_counts", Long[].class);
		for (int i = 0; i < typeNames.length; i++) {
			types.put(typeNames[i], typeCounts[i]);
		}
		long total = (type != null) ? types.get(type) : types.values().stream().mapToLong(Long::longValue).sum();

		String[] tagNames = row.get("tags", String[].class);
		Long[] tagCounts = row.get("tag_counts", Long[].class);
		List<ArtifactFacets.TagCount> tags = new ArrayList<>(tagNames.length);
		for (int i = 0; i < tagNames.length; i++) {
			tags.add(new ArtifactFacets.TagCount(tagNames[i], tagCounts[i]));
		}

		UUID[] ids = row.get("collection_ids", UUID[].class);
		String[] names = row.get("collection_names", String[].class);
		Long[] counts = row.get("collection_counts", Long[].class);
		List<ArtifactFacets.CollectionCount> collections = new ArrayList<>(ids.length);
		for (int i = 0; i < ids.length; i++) {
			collections.add(new ArtifactFacets.CollectionCount(ids[i], names[i], counts[i]));
		}
		return new ArtifactFacets(total, Collections.unmodifiableMap(types), List.copyOf(tags),
				List.copyOf(collections));
	}

}
