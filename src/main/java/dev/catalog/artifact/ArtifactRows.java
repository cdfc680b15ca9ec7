package dev.catalog.artifact;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;

/**
 * An artifact's detail decoded from the columns of a statement, for the writes, whose one
 * statement changes an artifact and answers with it: that answer is rendered by the service's
 * JSON mapper, while reads take their JSON from PostgreSQL ({@link ArtifactQueries}); tests
 * compare the two.
 */
final class ArtifactRows {

	/**
	 * The collections of the artifact aliased {@code %1$s} with their sizes, as three parallel
	 * arrays {@code m.collection_ids}, {@code m.collection_names}, {@code m.collection_counts}
	 * ordered by name: index lookups on the artifact's memberships, never a count.
	 */
	static final String COLLECTIONS_OF = """
			  LEFT JOIN LATERAL (
			       SELECT array_agg(c.id ORDER BY c.name, c.id) AS collection_ids,
			              array_agg(c.name ORDER BY c.name, c.id) AS collection_names,
			              array_agg(c.artifact_count ORDER BY c.name, c.id) AS collection_counts
			         FROM collection_artifacts ca
			         JOIN collections c ON c.id = ca.collection_id
			        WHERE ca.artifact_id = %1$s.id) AS m ON true
			""";

	/** The versions of the artifact aliased {@code %1$s}, newest first, as two parallel arrays. */
	static final String VERSIONS_OF = """
			       ARRAY(SELECT v.version FROM artifact_versions v
			              WHERE v.artifact_id = %1$s.id ORDER BY v.released_at DESC, v.version DESC) AS version_names,
			       ARRAY(SELECT (extract(epoch FROM v.released_at) * 1000000)::bigint FROM artifact_versions v
			              WHERE v.artifact_id = %1$s.id ORDER BY v.released_at DESC, v.version DESC) AS version_micros,
			""";

	private ArtifactRows() {
	}

	static ArtifactDetail detail(Readable row) {
		String[] versionNames = row.get("version_names", String[].class);
		Long[] versionMicros = row.get("version_micros", Long[].class);
		List<ArtifactVersion> versions = new ArrayList<>(versionNames.length);
		for (int i = 0; i < versionNames.length; i++) {
			versions.add(new ArtifactVersion(versionNames[i], Instant.EPOCH.plus(versionMicros[i], ChronoUnit.MICROS)));
		}
		return new ArtifactDetail(row.get("id", UUID.class), row.get("name", String.class),
				row.get("type", String.class), row.get("description", String.class), tags(row),
				row.get("metadata", Json.class).asString(), versions, row.get("created_at", Instant.class),
				row.get("updated_at", Instant.class), collections(row));
	}

	private static List<String> tags(Readable row) {
		return Arrays.asList(row.get("tags", String[].class));
	}

	private static List<ArtifactCollection> collections(Readable row) {
		UUID[] ids = row.get("collection_ids", UUID[].class);
		if (ids == null) {
			return List.of();
		}
		String[] names = row.get("collection_names", String[].class);
		Long[] counts = row.get("collection_counts", Long[].class);
		List<ArtifactCollection> collections = new ArrayList<>(ids.length);
		for (int i = 0; i < ids.length; i++) {
			collections.add(new ArtifactCollection(ids[i], names[i], counts[i]));
		}
		return collections;
	}

}
