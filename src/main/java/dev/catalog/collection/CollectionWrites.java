package dev.catalog.collection;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.catalog.db.SetClause;
import dev.catalog.web.ConflictException;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.UnprocessableException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * The write side of collections and memberships. Each method is meant to run inside one
 * transaction (see {@code dev.catalog.db.Writes}); changes answer from {@code RETURNING}.
 * <p>
 * {@code artifact_count} is never written here: the statement-level triggers on
 * {@code collection_artifacts} (migration 003) adjust it in the same statement as the
 * membership change, whatever deleted or inserted the rows (these methods, an artifact's
 * cascade, a collection's cascade). What this class adds is lock order: a membership change
 * first locks its collection row ({@code FOR NO KEY UPDATE}), then key-share locks the
 * artifacts it names, and only then touches membership rows. Every writer takes collection
 * rows before artifact rows before membership rows, so concurrent writers queue instead of
 * deadlocking, and the count read under the collection lock stays exact until commit.
 */
class CollectionWrites {

	private static final String COLUMNS = "id, name, description, artifact_count, created_at, updated_at";

	private static final String CREATE = """
			INSERT INTO collections (id, name, description, created_at, updated_at)
			VALUES (:id, :name, :description, :now, :now)
			ON CONFLICT DO NOTHING
			RETURNING %s
			""".formatted(COLUMNS);

	private static final String PATCH = """
			UPDATE collections c
			   SET %s
			 WHERE c.id = :id
			RETURNING %s
			""";

	private static final String DELETE = "DELETE FROM collections c WHERE c.id = :id RETURNING c.id";

	/** One row always: the locked collection's count (null if none) and whether the artifact exists. */
	private static final String LOCK_ONE = """
			SELECT (SELECT l.artifact_count
			          FROM (SELECT c.artifact_count FROM collections c WHERE c.id = :collection FOR NO KEY UPDATE) AS l)
			       AS artifact_count,
			       EXISTS (SELECT 1 FROM (SELECT a.id FROM artifacts a WHERE a.id = :artifact FOR KEY SHARE) AS k)
			       AS artifact_found
			""";

	/** One row always: the locked collection's count (null if none) and the ids naming no artifact. */
	private static final String LOCK_BATCH = """
			WITH target AS (
			    SELECT c.artifact_count FROM collections c WHERE c.id = :collection FOR NO KEY UPDATE),
			known AS (
			    SELECT a.id FROM artifacts a WHERE a.id = ANY (CAST(:ids AS uuid[])) FOR KEY SHARE)
			SELECT (SELECT t.artifact_count FROM target t) AS artifact_count,
			       ARRAY(SELECT u.id FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS u (id, n)
			              WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.id = u.id)
			              ORDER BY u.n) AS unknown
			""";

	// inserts carry the artifact's creation time: left NULL, a row trigger (migration 006)
	// looks it up once per membership; the artifacts are known to exist and locked by then
	private static final String ADD_ONE = """
			INSERT INTO collection_artifacts (collection_id, artifact_id, added_at, artifact_created_at)
			SELECT :collection, a.id, :now, a.created_at FROM artifacts a WHERE a.id = :artifact
			ON CONFLICT DO NOTHING
			RETURNING artifact_id
			""";

	private static final String REMOVE_ONE = """
			DELETE FROM collection_artifacts ca
			 WHERE ca.collection_id = :collection AND ca.artifact_id = :artifact
			RETURNING ca.artifact_id
			""";

	private static final String ADD_MANY = """
			INSERT INTO collection_artifacts (collection_id, artifact_id, added_at, artifact_created_at)
			SELECT :collection, a.id, :now, a.created_at FROM artifacts a WHERE a.id = ANY (CAST(:ids AS uuid[]))
			ON CONFLICT DO NOTHING
			RETURNING artifact_id
			""";

	private static final String REMOVE_MANY = """
			DELETE FROM collection_artifacts ca
			 WHERE ca.collection_id = :collection AND ca.artifact_id = ANY (CAST(:ids AS uuid[]))
			RETURNING ca.artifact_id
			""";

	private final DatabaseClient database;

	CollectionWrites(DatabaseClient database) {
		this.database = database;
	}

	/** Creates the collection; 409 if the name is taken (whatever its case). */
	Mono<CollectionSummary> create(UUID id, NewCollection collection, Instant now) {
		return this.database.sql(CREATE)
			.bind("id", id)
			.bind("name", collection.name())
			.bind("description", collection.description())
			.bind("now", now)
			.map(CollectionQueries::summary)
			.one()
			.switchIfEmpty(Mono.error(() -> nameTaken(collection.name())));
	}

	/** Applies the patch; 404 if there is no such collection, 409 if the new name is taken. */
	Mono<CollectionSummary> patch(UUID id, CollectionPatch patch, Instant now) {
		SetClause set = SetClause.of("updated_at = :now")
			.setIfPresent("name", patch.name())
			.setIfPresent("description", patch.description());
		GenericExecuteSpec spec = set
			.bind(this.database.sql(PATCH.formatted(set, COLUMNS)).bind("id", id).bind("now", now));
		return spec.map(CollectionQueries::summary)
			.one()
			.onErrorMap(DuplicateKeyException.class, (ex) -> nameTaken(patch.name()))
			.switchIfEmpty(Mono.error(() -> new NotFoundException("collection", id)));
	}

	/** Deletes the collection and, by cascade, its memberships; 404 if absent. */
	Mono<UUID> delete(UUID id) {
		return this.database.sql(DELETE)
			.bind("id", id)
			.map((row) -> row.get("id", UUID.class))
			.one()
			.switchIfEmpty(Mono.error(() -> new NotFoundException("collection", id)));
	}

	/**
	 * Adds one membership; 404 if the collection or the artifact does not exist.
	 * @return whether it is new (false: the artifact already was a member)
	 */
	Mono<Boolean> add(UUID collection, UUID artifact, Instant now) {
		return lockOne(collection, artifact).then(this.database.sql(ADD_ONE)
			.bind("collection", collection)
			.bind("artifact", artifact)
			.bind("now", now)
			.fetch()
			.all()
			.hasElements());
	}

	/**
	 * Removes one membership; 404 if the collection or the artifact does not exist.
	 * @return whether it was there
	 */
	Mono<Boolean> remove(UUID collection, UUID artifact) {
		return lockOne(collection, artifact).then(this.database.sql(REMOVE_ONE)
			.bind("collection", collection)
			.bind("artifact", artifact)
			.fetch()
			.all()
			.hasElements());
	}

	/**
	 * Applies a batch: one statement locks the collection and finds unknown ids, one deletes
	 * every removed membership, one inserts every added one, whatever the number of ids. Any
	 * unknown id fails the whole batch with 422 before anything is changed.
	 */
	Mono<MembershipChange> apply(UUID collection, MembershipBatch batch, Instant now) {
		return this.database.sql(LOCK_BATCH)
			.bind("collection", collection)
			.bind("ids", batch.ids().toArray(UUID[]::new))
			.map((row) -> new Locked(row.get("artifact_count", Long.class), row.get("unknown", UUID[].class)))
			.one()
			.flatMap((locked) -> {
				if (locked.artifactCount() == null) {
					return Mono.error(new NotFoundException("collection", collection));
				}
				if (locked.unknown().length > 0) {
					return Mono.error(unknownArtifacts(batch, locked.unknown()));
				}
				Mono<List<UUID>> removed = batch.remove().isEmpty() ? Mono.just(List.of())
						: changed(this.database.sql(REMOVE_MANY), collection, batch.remove()).collectList();
				Mono<List<UUID>> added = batch.add().isEmpty() ? Mono.just(List.of())
						: changed(this.database.sql(ADD_MANY).bind("now", now), collection, batch.add()).collectList();
				return removed.zipWhen((ignored) -> added).map((changes) -> {
					List<UUID> gone = inRequestOrder(batch.remove(), changes.getT1());
					List<UUID> joined = inRequestOrder(batch.add(), changes.getT2());
					// the collection row is locked until commit: nobody else can move the count
					return new MembershipChange(joined, gone, locked.artifactCount() - gone.size() + joined.size());
				});
			});
	}

	private record Locked(@Nullable Long artifactCount, UUID[] unknown) {

	}

	private Mono<Void> lockOne(UUID collection, UUID artifact) {
		return this.database.sql(LOCK_ONE)
			.bind("collection", collection)
			.bind("artifact", artifact)
			.map((row) -> {
				if (row.get("artifact_count", Long.class) == null) {
					throw new NotFoundException("collection", collection);
				}
				if (!Boolean.TRUE.equals(row.get("artifact_found", Boolean.class))) {
					throw new NotFoundException("artifact", artifact);
				}
				return true;
			})
			.one()
			.then();
	}

	private static Flux<UUID> changed(GenericExecuteSpec spec, UUID collection,
			List<UUID> ids) {
		return spec.bind("collection", collection)
			.bind("ids", ids.toArray(UUID[]::new))
			.map((row) -> row.get("artifact_id", UUID.class))
			.all();
	}

	private static List<UUID> inRequestOrder(List<UUID> requested, List<UUID> changed) {
		Set<UUID> set = new HashSet<>(changed);
		return requested.stream().filter(set::contains).toList();
	}

	private static UnprocessableException unknownArtifacts(MembershipBatch batch, UUID[] unknown) {
		List<UnprocessableException.FieldError> errors = Arrays.stream(unknown)
			.map((id) -> new UnprocessableException.FieldError(batch.fieldOf(id), "no artifact with id " + id))
			.toList();
		return new UnprocessableException(unknown.length + " of the listed artifacts do not exist; nothing was applied.",
				errors);
	}

	private static ConflictException nameTaken(String name) {
		return new ConflictException("A collection named '" + name + "' already exists (names are compared ignoring case).");
	}

}
