package dev.catalog.artifact;

import java.time.Instant;
import java.util.UUID;

import dev.catalog.db.SetClause;
import dev.catalog.web.ConflictException;
import dev.catalog.web.NotFoundException;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * The write side of artifacts. Each method is meant to run inside one transaction (see
 * {@code dev.catalog.db.Writes}); each change is one statement whose {@code RETURNING}
 * gives the answer, so nothing is read back after it was written.
 * <p>
 * Locks are taken in one order everywhere: collection rows (in id order), then artifact rows,
 * then membership rows. Deleting an artifact therefore locks its collections before it deletes
 * the artifact (whose memberships, tags and versions go with it by cascade, the membership
 * triggers keeping every {@code artifact_count} exact).
 */
class ArtifactWrites {

	/** The detail columns of {@link ArtifactQueries#detail}, for a row {@code u} just written. */
	private static final String DETAIL_OF_WRITTEN = """
			SELECT u.id, u.name, u.type, u.description, u.metadata, u.created_at, u.updated_at,
			       %s AS tags,
			""" + ArtifactRows.VERSIONS_OF.formatted("u") + """
			       m.collection_ids, m.collection_names, m.collection_counts
			  FROM written u
			""" + ArtifactRows.COLLECTIONS_OF.formatted("u");

	private static final String SORTED_NEW_TAGS = "ARRAY(SELECT n.tag FROM unnest(CAST(:tags AS text[])) AS n(tag) ORDER BY n.tag)";

	private static final String CREATE = """
			WITH written AS (
			    INSERT INTO artifacts (id, name, type, description, metadata, created_at, updated_at)
			    VALUES (:id, :name, :type, :description, CAST(:metadata AS jsonb), :now, :now)
			    RETURNING id, name, type, description, metadata, created_at, updated_at),
			tagged AS (
			    INSERT INTO artifact_tags (artifact_id, tag)
			    SELECT w.id, n.tag FROM written w, unnest(CAST(:tags AS text[])) AS n(tag))
			""" + DETAIL_OF_WRITTEN.formatted(SORTED_NEW_TAGS);

	private static final String PATCH = """
			WITH written AS (
			    UPDATE artifacts a
			       SET %s
			     WHERE a.id = :id
			    RETURNING a.id, a.name, a.type, a.description, a.metadata, a.created_at, a.updated_at)%s
			""";

	/** Replacing the tags: drop those not wanted any more, add the new ones. */
	private static final String RETAG = """
			,
			untagged AS (
			    DELETE FROM artifact_tags t USING written w
			     WHERE t.artifact_id = w.id AND t.tag <> ALL (CAST(:tags AS text[]))),
			tagged AS (
			    INSERT INTO artifact_tags (artifact_id, tag)
			    SELECT w.id, n.tag FROM written w, unnest(CAST(:tags AS text[])) AS n(tag)
			    ON CONFLICT DO NOTHING)""";

	private static final String CURRENT_TAGS = "ARRAY(SELECT t.tag FROM artifact_tags t WHERE t.artifact_id = u.id ORDER BY t.tag)";

	private static final String LOCK_COLLECTIONS_OF_ARTIFACT = """
			SELECT c.id
			  FROM collections c
			 WHERE c.id IN (SELECT ca.collection_id FROM collection_artifacts ca WHERE ca.artifact_id = :id)
			 ORDER BY c.id
			   FOR NO KEY UPDATE
			""";

	private static final String DELETE = "DELETE FROM artifacts a WHERE a.id = :id RETURNING a.id";

	/** The artifact is key-share locked so that it cannot be deleted between check and insert. */
	private static final String ADD_VERSION = """
			WITH target AS (
			    SELECT a.id FROM artifacts a WHERE a.id = :id FOR KEY SHARE),
			added AS (
			    INSERT INTO artifact_versions (artifact_id, version, released_at)
			    SELECT t.id, :version, :releasedAt FROM target t
			    ON CONFLICT DO NOTHING
			    RETURNING version, released_at),
			touched AS (
			    UPDATE artifacts a SET updated_at = :now
			      FROM added
			     WHERE a.id = :id)
			SELECT EXISTS (SELECT 1 FROM target) AS found, d.version, d.released_at
			  FROM (VALUES (1)) AS one (x)
			  LEFT JOIN added d ON true
			""";

	private final DatabaseClient database;

	ArtifactWrites(DatabaseClient database) {
		this.database = database;
	}

	/** Inserts the artifact and its tags in one statement; the answer is what was inserted. */
	Mono<ArtifactDetail> create(UUID id, NewArtifact artifact, Instant now) {
		return this.database.sql(CREATE)
			.bind("id", id)
			.bind("name", artifact.name())
			.bind("type", artifact.type())
			.bind("description", artifact.description())
			.bind("metadata", artifact.metadata())
			.bind("tags", artifact.tags().toArray(String[]::new))
			.bind("now", now)
			.map(ArtifactRows::detail)
			.one();
	}

	/** Applies the patch in one statement; fails with 404 if there is no such artifact. */
	Mono<ArtifactDetail> patch(UUID id, ArtifactPatch patch, Instant now) {
		SetClause set = SetClause.of("updated_at = :now")
			.setIfPresent("name", patch.name())
			.setIfPresent("type", patch.type())
			.setIfPresent("description", patch.description());
		if (patch.resetMetadata()) {
			set.add("metadata = '{}'::jsonb");
		}
		else if (patch.metadataPatch() != null) {
			set.add("metadata = jsonb_merge_patch(a.metadata, CAST(:metadata AS jsonb))", "metadata",
					patch.metadataPatch());
		}
		boolean retag = patch.tags() != null;
		String sql = PATCH.formatted(set, retag ? RETAG : "")
				+ DETAIL_OF_WRITTEN.formatted(retag ? SORTED_NEW_TAGS : CURRENT_TAGS);
		GenericExecuteSpec spec = set.bind(this.database.sql(sql).bind("id", id).bind("now", now));
		if (retag) {
			spec = spec.bind("tags", patch.tags().toArray(String[]::new));
		}
		return spec.map(ArtifactRows::detail)
			.one()
			.switchIfEmpty(Mono.error(() -> new NotFoundException("artifact", id)));
	}

	/** Deletes the artifact and, by cascade, its memberships, tags and versions; 404 if absent. */
	Mono<UUID> delete(UUID id) {
		return this.database.sql(LOCK_COLLECTIONS_OF_ARTIFACT)
			.bind("id", id)
			.fetch()
			.all()
			.then(this.database.sql(DELETE).bind("id", id).map((row) -> row.get("id", UUID.class)).one())
			.switchIfEmpty(Mono.error(() -> new NotFoundException("artifact", id)));
	}

	/** Adds a version; 404 if there is no such artifact, 409 if it has this version already. */
	Mono<ArtifactVersion> addVersion(UUID id, NewVersion version, Instant now) {
		return this.database.sql(ADD_VERSION)
			.bind("id", id)
			.bind("version", version.version())
			.bind("releasedAt", (version.releasedAt() != null) ? version.releasedAt() : now)
			.bind("now", now)
			.map((row) -> {
				if (!Boolean.TRUE.equals(row.get("found", Boolean.class))) {
					throw new NotFoundException("artifact", id);
				}
				if (row.get("version", String.class) == null) {
					throw new ConflictException(
							"Artifact " + id + " already has version '" + version.version() + "'.");
				}
				return new ArtifactVersion(row.get("version", String.class), row.get("released_at", Instant.class));
			})
			.one();
	}

}
