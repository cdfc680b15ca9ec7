package dev.catalog.artifact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.catalog.web.Cursor;
import dev.catalog.web.RawJson;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * The read side of artifacts, each read in exactly one SQL statement.
 * <p>
 * A page of artifacts comes with every artifact's tags and collections, and every such
 * collection's {@code artifact_count}, from one statement: the page is chosen by keyset in a
 * CTE, then each row's tags and collections are gathered by index lookups on the page's ids.
 * Counts are read from the denormalised column, so a page costs the same whether its
 * collections hold ten members or a million.
 */
public class ArtifactQueries {

	/**
	 * The collections of the artifact aliased {@code %1$s} as a JSON array of
	 * {@code {"id","name","artifactCount"}} ordered by name: index lookups on the artifact's
	 * memberships, never a count. Joined with {@code string_agg} rather than {@code json_agg},
	 * which puts a newline between elements. The view {@code artifact_details} (the detail)
	 * repeats it; {@code ArtifactJsonIntegrationTests} holds the two to the same JSON.
	 */
	static final String COLLECTIONS_JSON_OF = """
			       (SELECT coalesce('[' || string_agg(row_to_json(cj)::text, ',' ORDER BY c.name, c.id) || ']', '[]')::json
			          FROM collection_artifacts ca
			          JOIN collections c ON c.id = ca.collection_id
			         CROSS JOIN LATERAL (SELECT c.id, c.name, c.artifact_count AS "artifactCount") cj
			         WHERE ca.artifact_id = %1$s.id)""";

	/**
	 * Each artifact of the CTE {@code page} with its position and its list representation
	 * ({@link ArtifactSummary}'s JSON) rendered by PostgreSQL: {@code row_to_json} writes compact
	 * JSON with the keys in the order given, and {@code json_instant} writes instants as the
	 * service's JSON mapper does.
	 */
	private static final String ENRICH = """
			SELECT p.id, p.position_at, row_to_json(j)::text AS json
			  FROM page p
			 CROSS JOIN LATERAL (
			       SELECT p.id, p.name, p.type, p.description,
			              ARRAY(SELECT t.tag FROM artifact_tags t WHERE t.artifact_id = p.id ORDER BY t.tag) AS tags,
			              json_instant(p.created_at) AS "createdAt", json_instant(p.updated_at) AS "updatedAt",
			""" + COLLECTIONS_JSON_OF.formatted("p") + """
			 AS collections) j
			""";

	/** Package-private for the benchmark, which runs this very statement in pgbench. */
	static final String ARTIFACT_PAGE = """
			WITH page AS (
			    SELECT a.id, a.name, a.type, a.description, a.created_at, a.updated_at, a.created_at AS position_at
			      FROM artifacts a
			     WHERE %s
			     ORDER BY a.created_at DESC, a.id DESC
			     LIMIT :limit)
			%s
			 ORDER BY p.position_at DESC, p.id DESC
			""".formatted("%s", ENRICH);

	/**
	 * The artifact list filtered by collection: newest artifact first, read by one range scan of
	 * the collection's memberships in artifact creation order (the membership carries the
	 * artifact's creation time), so a collection of ten costs what one of a million does.
	 */
	private static final String IN_COLLECTION_PAGE = """
			WITH page AS (
			    SELECT a.id, a.name, a.type, a.description, a.created_at, a.updated_at, a.created_at AS position_at
			      FROM collection_artifacts f
			      JOIN artifacts a ON a.id = f.artifact_id
			     WHERE f.collection_id = :inCollection AND %s
			     ORDER BY f.artifact_created_at DESC, f.artifact_id DESC
			     LIMIT :limit)
			%s
			 ORDER BY p.position_at DESC, p.id DESC
			""".formatted("%s", ENRICH);

	private static final String MEMBER_PAGE = """
			WITH page AS (
			    SELECT a.id, a.name, a.type, a.description, a.created_at, a.updated_at, ca.added_at AS position_at
			      FROM collection_artifacts ca
			      JOIN artifacts a ON a.id = ca.artifact_id
			     WHERE ca.collection_id = :collection AND %s
			     ORDER BY ca.added_at DESC, ca.artifact_id DESC
			     LIMIT :limit),
			enriched AS (%s)
			SELECT e.*
			  FROM collections target
			  LEFT JOIN enriched e ON true
			 WHERE target.id = :collection
			 ORDER BY e.position_at DESC, e.id DESC
			""".formatted("%s", ENRICH);

	/**
	 * One artifact's {@link ArtifactDetail} JSON, rendered like the list's ({@link #ENRICH}) by
	 * the view {@code artifact_details} (migrations/050-artifact-details.sql): a short text,
	 * since the driver tokenizes every statement's text each time it runs it.
	 */
	private static final String DETAIL = """
			SELECT d.json
			  FROM artifact_details d
			 WHERE d.id = :id
			""";

	private final DatabaseClient database;

	public ArtifactQueries(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * Up to {@code limit} artifacts, newest first, after the given position.
	 */
	public Flux<ListedArtifact> page(ArtifactFilter filter, @Nullable Cursor after, int limit) {
		Map<String, Object> binds = new LinkedHashMap<>();
		String sql;
		if (filter.collection() != null) {
			binds.put("inCollection", filter.collection());
			sql = IN_COLLECTION_PAGE.formatted(where(filter.withoutCollection(), after,
					"(f.artifact_created_at, f.artifact_id)", binds));
		}
		else {
			sql = ARTIFACT_PAGE.formatted(where(filter, after, "(a.created_at, a.id)", binds));
		}
		return bind(this.database.sql(sql), binds).bind("limit", limit)
			.map(ArtifactQueries::listed)
			.all();
	}

	/**
	 * Up to {@code limit} members of a collection, most recently added first, after the given
	 * position; an empty {@code Mono} if there is no such collection.
	 */
	public Mono<List<ListedArtifact>> membersPage(UUID collection, ArtifactFilter filter, @Nullable Cursor after,
			int limit) {
		Map<String, Object> binds = new LinkedHashMap<>();
		String where = where(filter, after, "(ca.added_at, ca.artifact_id)", binds);
		return bind(this.database.sql(MEMBER_PAGE.formatted(where)), binds).bind("collection", collection)
			.bind("limit", limit)
			.map((row) -> (row.get("id") != null) ? List.of(listed(row)) : List.<ListedArtifact>of())
			.all()
			.collectList()
			.flatMap((rows) -> rows.isEmpty() ? Mono.empty()
					: Mono.just(rows.stream().flatMap(List::stream).toList()));
	}

	/** One artifact with tags, metadata, versions and collections ({@link ArtifactDetail}'s JSON), or empty. */
	public Mono<RawJson> find(UUID id) {
		return this.database.sql(DETAIL).bind("id", id).map((row) -> new RawJson(row.get("json", String.class))).one();
	}

	/**
	 * The filter (and the position after {@code after}) as SQL conditions on {@code artifacts a},
	 * their values put into {@code binds}; {@code "true"} for none.
	 */
	static String where(ArtifactFilter filter, @Nullable Cursor after, String position, Map<String, Object> binds) {
		List<String> conditions = new ArrayList<>();
		if (filter.type() != null) {
			conditions.add("a.type = :type");
			binds.put("type", filter.type());
		}
		for (int i = 0; i < filter.tags().size(); i++) {
			conditions.add("EXISTS (SELECT 1 FROM artifact_tags t WHERE t.artifact_id = a.id AND t.tag = :tag" + i + ")");
			binds.put("tag" + i, filter.tags().get(i));
		}
		if (filter.collection() != null) {
			conditions.add("EXISTS (SELECT 1 FROM collection_artifacts f"
					+ " WHERE f.collection_id = :inCollection AND f.artifact_id = a.id)");
			binds.put("inCollection", filter.collection());
		}
		if (filter.q() != null) {
			conditions.add("a.name ILIKE :q ESCAPE '\\'");
			binds.put("q", "%" + filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		}
		if (after != null) {
			conditions.add(position + " < (:afterAt, :afterId)");
			binds.put("afterAt", after.at());
			binds.put("afterId", after.id());
		}
		return conditions.isEmpty() ? "true" : String.join(" AND ", conditions);
	}

	static GenericExecuteSpec bind(GenericExecuteSpec spec, Map<String, Object> binds) {
		for (Map.Entry<String, Object> bind : binds.entrySet()) {
			spec = spec.bind(bind.getKey(), bind.getValue());
		}
		return spec;
	}

	private static ListedArtifact listed(Readable row) {
		return new ListedArtifact(row.get("id", UUID.class), row.get("position_at", Instant.class),
				row.get("json", String.class));
	}


}
