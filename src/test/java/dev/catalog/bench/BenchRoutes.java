package dev.catalog.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.catalog.artifact.ArtifactCollection;
import dev.catalog.artifact.ArtifactSummary;
import dev.catalog.web.Cursor;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.Page;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Benchmark-only comparison targets, each answering the first page of
 * {@code GET /api/v1/artifacts} (50 artifacts, same JSON shape) the way the designs this
 * service replaces do:
 * <ul>
 * <li>{@code /bench/naive}: the classic N+1 design: the page, then per artifact one query for
 * its collections, then per (artifact, collection) pair a {@code count(*)} of that collection's
 * members: 1 + 50 + ~100 statements;</li>
 * <li>{@code /bench/four-query}: the usual rewrite: the page, the page's memberships, those
 * collections, and a {@code GROUP BY} count of their members: 4 statements;</li>
 * <li>{@code /bench/static}: a fixed byte array as large as a page (rendered once from the
 * four-query design), the ceiling of what the HTTP stack can serve.</li>
 * </ul>
 * Both database designs run inside one read-only transaction, as an ORM's session-per-request
 * would, so that a request holds one pooled connection throughout. Deliberately not annotated
 * with {@code @Configuration}: component scanning must not pick it up in tests.
 */
class BenchRoutes {

	static final int PAGE = 50;

	private static final String PAGE_SQL = """
			SELECT a.id, a.name, a.type, a.description, a.created_at, a.updated_at,
			       ARRAY(SELECT t.tag FROM artifact_tags t WHERE t.artifact_id = a.id ORDER BY t.tag) AS tags
			  FROM artifacts a
			 ORDER BY a.created_at DESC, a.id DESC
			 LIMIT :limit
			""";

	private static final String COLLECTIONS_OF_ARTIFACT = """
			SELECT c.id, c.name
			  FROM collection_artifacts ca
			  JOIN collections c ON c.id = ca.collection_id
			 WHERE ca.artifact_id = :artifact
			 ORDER BY c.name, c.id
			""";

	private static final String COUNT_MEMBERS = """
			SELECT count(*) AS n FROM collection_artifacts WHERE collection_id = :collection
			""";

	private static final String MEMBERSHIPS_OF_PAGE = """
			SELECT ca.artifact_id, ca.collection_id FROM collection_artifacts ca WHERE ca.artifact_id = ANY(:artifacts)
			""";

	private static final String COLLECTIONS = """
			SELECT c.id, c.name FROM collections c WHERE c.id = ANY(:collections)
			""";

	private static final String COUNTS = """
			SELECT ca.collection_id, count(*) AS n
			  FROM collection_artifacts ca
			 WHERE ca.collection_id = ANY(:collections)
			 GROUP BY ca.collection_id
			""";

	@Bean
	RouterFunction<ServerResponse> comparisonRoutes(DatabaseClient database, ReactiveTransactionManager transactions,
			JsonMapper json, CursorCodec cursors) {
		DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition();
		readOnly.setReadOnly(true);
		readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
		TransactionalOperator session = TransactionalOperator.create(transactions, readOnly);
		Designs designs = new Designs(database, cursors);
		Mono<byte[]> staticPage = session.transactional(designs.fourQuery())
			.map(json::writeValueAsBytes)
			.cache();
		return RouterFunctions.route()
			.GET("/bench/naive", (request) -> json(session.transactional(designs.naive()).map(json::writeValueAsBytes)))
			.GET("/bench/four-query",
					(request) -> json(session.transactional(designs.fourQuery()).map(json::writeValueAsBytes)))
			.GET("/bench/static", (request) -> json(staticPage))
			.build();
	}

	private static Mono<ServerResponse> json(Mono<byte[]> body) {
		return body.flatMap((bytes) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(bytes));
	}

	/** The two classic designs, statement by statement. */
	static final class Designs {

		private final DatabaseClient database;

		private final CursorCodec cursors;

		Designs(DatabaseClient database, CursorCodec cursors) {
			this.database = database;
			this.cursors = cursors;
		}

		/** One page query, then for each artifact its collections, then a count per pair. */
		Mono<Page<ArtifactSummary>> naive() {
			// each result is read to the end before the next statement runs on the connection,
			// as an ORM's lazy loading does
			return pageRows().collectList()
				.flatMapMany(Flux::fromIterable)
				.concatMap((row) -> this.database.sql(COLLECTIONS_OF_ARTIFACT)
					.bind("artifact", row.id())
					.map((r) -> Map.entry(r.get("id", UUID.class), r.get("name", String.class)))
					.all()
					.collectList()
					.flatMapMany(Flux::fromIterable)
					.concatMap((collection) -> this.database.sql(COUNT_MEMBERS)
						.bind("collection", collection.getKey())
						.map((r) -> r.get("n", Long.class))
						.one()
						.map((count) -> new ArtifactCollection(collection.getKey(), collection.getValue(), count)))
					.collectList()
					.map(row::summary))
				.collectList()
				.map(this::page);
		}

		/** The page, its memberships, those collections, and their member counts. */
		Mono<Page<ArtifactSummary>> fourQuery() {
			return pageRows().collectList().flatMap((rows) -> {
				UUID[] artifactIds = rows.stream().map(Row::id).toArray(UUID[]::new);
				return this.database.sql(MEMBERSHIPS_OF_PAGE)
					.bind("artifacts", artifactIds)
					.map((r) -> Map.entry(r.get("artifact_id", UUID.class), r.get("collection_id", UUID.class)))
					.all()
					.collectList()
					.flatMap((memberships) -> {
						UUID[] collectionIds = memberships.stream().map(Map.Entry::getValue).distinct()
							.toArray(UUID[]::new);
						Mono<Map<UUID, String>> names = this.database.sql(COLLECTIONS)
							.bind("collections", collectionIds)
							.map((r) -> Map.entry(r.get("id", UUID.class), r.get("name", String.class)))
							.all()
							.collectMap(Map.Entry::getKey, Map.Entry::getValue);
						Mono<Map<UUID, Long>> counts = this.database.sql(COUNTS)
							.bind("collections", collectionIds)
							.map((r) -> Map.entry(r.get("collection_id", UUID.class), r.get("n", Long.class)))
							.all()
							.collectMap(Map.Entry::getKey, Map.Entry::getValue);
						return names.zipWith(counts).map((both) -> {
							Map<UUID, List<ArtifactCollection>> byArtifact = new LinkedHashMap<>();
							for (Map.Entry<UUID, UUID> membership : memberships) {
								UUID collection = membership.getValue();
								byArtifact.computeIfAbsent(membership.getKey(), (key) -> new ArrayList<>())
									.add(new ArtifactCollection(collection, both.getT1().get(collection),
											both.getT2().getOrDefault(collection, 0L)));
							}
							List<ArtifactSummary> items = new ArrayList<>(rows.size());
							for (Row row : rows) {
								List<ArtifactCollection> collections = byArtifact.getOrDefault(row.id(), List.of());
								collections.sort((a, b) -> {
									int byName = a.name().compareTo(b.name());
									return (byName != 0) ? byName : a.id().compareTo(b.id());
								});
								items.add(row.summary(collections));
							}
							return page(items);
						});
					});
			});
		}

		private Flux<Row> pageRows() {
			return this.database.sql(PAGE_SQL).bind("limit", PAGE).map(Designs::row).all();
		}

		private Page<ArtifactSummary> page(List<ArtifactSummary> items) {
			String next = null;
			if (items.size() == PAGE) {
				ArtifactSummary last = items.get(PAGE - 1);
				next = this.cursors.encode("artifacts?", new Cursor(last.position(), last.id()));
			}
			return new Page<>(items, next);
		}

		private static Row row(Readable row) {
			return new Row(row.get("id", UUID.class), row.get("name", String.class), row.get("type", String.class),
					row.get("description", String.class), Arrays.asList(row.get("tags", String[].class)),
					row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
		}

	}

	record Row(UUID id, String name, String type, String description, List<String> tags, Instant createdAt,
			Instant updatedAt) {

		ArtifactSummary summary(List<ArtifactCollection> collections) {
			return new ArtifactSummary(this.id, this.name, this.type, this.description, this.tags, this.createdAt,
					this.updatedAt, collections, this.createdAt);
		}

	}

}
