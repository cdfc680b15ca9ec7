package dev.catalog.stats;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.catalog.artifact.ArtifactType;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Catalog totals in one statement. Memberships are the sum of the exact per-collection
 * counts rather than a scan of the membership table.
 */
public class StatsQueries {

	private static final String STATS = """
			SELECT (SELECT count(*) FROM artifacts) AS artifacts,
			       (SELECT count(*) FROM collections) AS collections,
			       (SELECT coalesce(sum(c.artifact_count), 0)::bigint FROM collections c) AS memberships,
			       ARRAY(SELECT a.type FROM artifacts a GROUP BY a.type ORDER BY a.type) AS types,
			       ARRAY(SELECT count(*) FROM artifacts a GROUP BY a.type ORDER BY a.type) AS type_counts
			""";

	private final DatabaseClient database;

	public StatsQueries(DatabaseClient database) {
		this.database = database;
	}

	public Mono<CatalogStats> stats() {
		return this.database.sql(STATS).map((row) -> {
			Map<String, Long> byType = new LinkedHashMap<>();
			ArtifactType.NAMES.forEach((type) -> byType.put(type, 0L));
			String[] types = row.get("types", String[].class);
			Long[] counts = row.get("type_counts", Long[].class);
			for (int i = 0; i < types.length; i++) {
				byType.put(types[i], counts[i]);
			}
			return new CatalogStats(row.get("artifacts", Long.class), row.get("collections", Long.class),
					row.get("memberships", Long.class), byType);
		}).one();
	}

}
