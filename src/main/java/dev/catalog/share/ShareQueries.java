package dev.catalog.share;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.catalog.web.NotFoundException;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Share links in PostgreSQL, one statement per operation. The writes are meant to run inside
 * {@code dev.catalog.db.Writes#commit}, so that the cache learns of them before the answer.
 */
class ShareQueries {

	/** Members shown on a share page. */
	static final int PAGE_MEMBERS = 50;

	private static final String CREATE = """
			INSERT INTO collection_shares (token, collection_id, created_at)
			SELECT :token, c.id, :now FROM collections c WHERE c.id = :collection
			RETURNING token, created_at
			""";

	// one row per link, or one row with a null token for a collection without links, or none
	private static final String LIST = """
			SELECT s.token, s.created_at
			  FROM collections c
			  LEFT JOIN collection_shares s ON s.collection_id = c.id
			 WHERE c.id = :collection
			 ORDER BY s.created_at DESC, s.token
			""";

	private static final String REVOKE = """
			DELETE FROM collection_shares s
			 WHERE s.collection_id = :collection AND s.token = :token
			RETURNING s.token
			""";

	// the collection on every row, with up to 50 of its most recently added members (or one
	// row with null member columns for an empty collection); no row: no such link
	private static final String PAGE = """
			SELECT c.name, c.description, c.artifact_count,
			       a.id AS artifact_id, a.name AS artifact_name, a.type AS artifact_type,
			       a.description AS artifact_description
			  FROM collection_shares s
			  JOIN collections c ON c.id = s.collection_id
			  LEFT JOIN LATERAL (
			        SELECT ca.artifact_id, ca.added_at
			          FROM collection_artifacts ca
			         WHERE ca.collection_id = c.id
			         ORDER BY ca.added_at DESC, ca.artifact_id DESC
			         LIMIT :members) m ON true
			  LEFT JOIN artifacts a ON a.id = m.artifact_id
			 WHERE s.token = :token
			 ORDER BY m.added_at DESC, m.artifact_id DESC
			""";

	private final DatabaseClient database;

	ShareQueries(DatabaseClient database) {
		this.database = database;
	}

	Mono<Share> create(UUID collection, String token, Instant now) {
		return this.database.sql(CREATE)
			.bind("token", token)
			.bind("collection", collection)
			.bind("now", now)
			.map((row) -> Share.of(row.get("token", String.class), row.get("created_at", Instant.class)))
			.one()
			.switchIfEmpty(Mono.error(() -> new NotFoundException("collection", collection)));
	}

	Mono<List<Share>> list(UUID collection) {
		return this.database.sql(LIST)
			.bind("collection", collection)
			.map((row) -> new Listed(row.get("token", String.class), row.get("created_at", Instant.class)))
			.all()
			.collectList()
			.flatMap((rows) -> {
				if (rows.isEmpty()) {
					return Mono.error(new NotFoundException("collection", collection));
				}
				List<Share> shares = new ArrayList<>();
				for (Listed row : rows) {
					if (row.token() != null && row.createdAt() != null) {
						shares.add(Share.of(row.token(), row.createdAt()));
					}
				}
				return Mono.just(shares);
			});
	}

	/** Empty if the collection has no such link. */
	Mono<String> revoke(UUID collection, String token) {
		return this.database.sql(REVOKE)
			.bind("collection", collection)
			.bind("token", token)
			.map((row) -> row.get("token", String.class))
			.one();
	}

	/** The page of a link; empty if there is no such link. */
	Mono<SharePage> page(String token) {
		return this.database.sql(PAGE)
			.bind("token", token)
			.bind("members", PAGE_MEMBERS)
			.map(PageRow::of)
			.all()
			.collectList()
			.flatMap((rows) -> rows.isEmpty() ? Mono.empty() : Mono.just(SharePage.of(rows)));
	}

	private record Listed(@Nullable String token,
			@Nullable Instant createdAt) {

	}

	/** One row of {@link #PAGE}. */
	record PageRow(String name, String description, long count, @Nullable UUID artifactId,
			@Nullable String artifactName,
			@Nullable String artifactType,
			@Nullable String artifactDescription) {

		static PageRow of(Readable row) {
			return new PageRow(row.get("name", String.class), row.get("description", String.class),
					row.get("artifact_count", Long.class), row.get("artifact_id", UUID.class),
					row.get("artifact_name", String.class), row.get("artifact_type", String.class),
					row.get("artifact_description", String.class));
		}

	}

}
