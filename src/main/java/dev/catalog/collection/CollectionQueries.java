package dev.catalog.collection;

import java.time.Instant;
import java.util.UUID;

import dev.catalog.web.Cursor;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The read side of collections, one statement per read. {@code artifact_count} is the
 * denormalised count the membership triggers keep exact.
 */
public class CollectionQueries {

	private static final String PAGE = """
			SELECT c.id, c.name, c.description, c.artifact_count, c.created_at, c.updated_at
			  FROM collections c
			 WHERE %s
			 ORDER BY c.created_at DESC, c.id DESC
			 LIMIT :limit
			""";

	private static final String FIND = """
			SELECT c.id, c.name, c.description, c.artifact_count, c.created_at, c.updated_at
			  FROM collections c
			 WHERE c.id = :id
			""";

	private final DatabaseClient database;

	public CollectionQueries(DatabaseClient database) {
		this.database = database;
	}

	/** Up to {@code limit} collections, newest first, after the given position. */
	public Flux<CollectionSummary> page(@Nullable Cursor after, int limit) {
		if (after == null) {
			return this.database.sql(PAGE.formatted("true")).bind("limit", limit).map(CollectionQueries::summary).all();
		}
		return this.database.sql(PAGE.formatted("(c.created_at, c.id) < (:afterAt, :afterId)"))
			.bind("afterAt", after.at())
			.bind("afterId", after.id())
			.bind("limit", limit)
			.map(CollectionQueries::summary)
			.all();
	}

	public Mono<CollectionSummary> find(UUID id) {
		return this.database.sql(FIND).bind("id", id).map(CollectionQueries::summary).one();
	}

	static CollectionSummary summary(Readable row) {
		return new CollectionSummary(row.get("id", UUID.class), row.get("name", String.class),
				row.get("description", String.class), row.get("artifact_count", Long.class),
				row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
	}

}
