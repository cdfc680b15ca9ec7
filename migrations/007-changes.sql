--liquibase formatted sql

--changeset catalog:catalog-changes
-- The change feed's durable log, written by the triggers below in the transaction of the write
-- itself: nothing is recorded that did not commit, nothing that committed goes unrecorded.
-- A change's position is (txid, seq): readers only return rows whose txid is below the xmin of
-- their snapshot (every transaction below it has ended), so no row can ever appear behind a
-- position a reader has passed, whatever order the writers committed in.
CREATE TABLE catalog_changes (
    txid           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind           text        NOT NULL,
    -- what the filters look at: the collections an artifact was in before or is in after the
    -- change (or the collection of a collection or membership event), and the artifact's types
    collection_ids uuid[]      NOT NULL DEFAULT '{}',
    artifact_types text[]      NOT NULL DEFAULT '{}',
    data           jsonb       NOT NULL,
    PRIMARY KEY (txid, seq)
);
CREATE INDEX catalog_changes_recorded_at_idx ON catalog_changes (recorded_at);
--rollback DROP TABLE catalog_changes;

--changeset catalog:catalog-changes-triggers splitStatements:false
-- Triggers, not the write classes, record changes: a trigger cannot forget a write path (a
-- cascade, a bulk statement, a future endpoint), and it costs the writer no extra round trip.
-- A session that sets catalog.changes to 'off' (the seeder's bulk load) records nothing.
CREATE FUNCTION catalog_changes_on() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT current_setting('catalog.changes', true) IS DISTINCT FROM 'off' $$;

-- Instants as the API writes them (ISO-8601, UTC, microseconds)
CREATE FUNCTION catalog_instant(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

-- The artifact as an artifact list shows it (ArtifactSummary), null if there is none
CREATE FUNCTION catalog_artifact_summary(artifact uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', a.id, 'name', a.name, 'type', a.type, 'description', a.description,
               'tags', to_jsonb(ARRAY(SELECT t.tag FROM artifact_tags t WHERE t.artifact_id = a.id ORDER BY t.tag)),
               'createdAt', catalog_instant(a.created_at), 'updatedAt', catalog_instant(a.updated_at),
               'collections', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name,
                                                         'artifactCount', c.artifact_count) ORDER BY c.name, c.id)
                                          FROM collection_artifacts ca JOIN collections c ON c.id = ca.collection_id
                                         WHERE ca.artifact_id = a.id), '[]'::jsonb))
      FROM artifacts a
     WHERE a.id = artifact
$$;

CREATE FUNCTION catalog_collection_summary(c collections) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', c.id, 'name', c.name, 'description', c.description,
                              'artifactCount', c.artifact_count,
                              'createdAt', catalog_instant(c.created_at), 'updatedAt', catalog_instant(c.updated_at))
$$;

-- Wakes every instance's feed reader; delivered only on commit, once per transaction
CREATE FUNCTION catalog_changes_notify() RETURNS void
LANGUAGE sql AS $$ SELECT pg_notify('catalog_changes', '') $$;

CREATE FUNCTION artifacts_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kind text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- BEFORE DELETE: the memberships the cascade is about to remove are still there
        INSERT INTO catalog_changes (kind, collection_ids, artifact_types, data)
        VALUES ('artifact.deleted',
                ARRAY(SELECT ca.collection_id FROM collection_artifacts ca WHERE ca.artifact_id = OLD.id),
                ARRAY[OLD.type], jsonb_build_object('id', OLD.id));
        PERFORM catalog_changes_notify();
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' THEN
        kind := 'artifact.created';
    ELSIF (OLD.name, OLD.type, OLD.description, OLD.metadata) IS NOT DISTINCT FROM
          (NEW.name, NEW.type, NEW.description, NEW.metadata)
          AND EXISTS (SELECT 1 FROM artifact_versions v
                       WHERE v.artifact_id = NEW.id AND v.xmin = pg_current_xact_id()::xid) THEN
        -- adding a version touches updated_at only: one change, the version's
        kind := 'artifact.version-added';
    ELSE
        kind := 'artifact.updated';
    END IF;
    INSERT INTO catalog_changes (kind, collection_ids, artifact_types, data)
    VALUES (kind,
            ARRAY(SELECT ca.collection_id FROM collection_artifacts ca WHERE ca.artifact_id = NEW.id),
            CASE WHEN TG_OP = 'UPDATE' AND OLD.type <> NEW.type THEN ARRAY[OLD.type, NEW.type] ELSE ARRAY[NEW.type] END,
            catalog_artifact_summary(NEW.id));
    PERFORM catalog_changes_notify();
    RETURN NULL;
END
$$;

-- AFTER ... FOR EACH ROW fires at the end of the whole statement, once its tags are written
CREATE TRIGGER artifacts_recorded
    AFTER INSERT OR UPDATE ON artifacts
    FOR EACH ROW WHEN (catalog_changes_on())
    EXECUTE FUNCTION artifacts_recorded();

CREATE TRIGGER artifacts_recorded_delete
    BEFORE DELETE ON artifacts
    FOR EACH ROW WHEN (catalog_changes_on())
    EXECUTE FUNCTION artifacts_recorded();

CREATE FUNCTION collections_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO catalog_changes (kind, collection_ids, data)
        VALUES ('collection.deleted', ARRAY[OLD.id], jsonb_build_object('id', OLD.id));
    ELSE
        INSERT INTO catalog_changes (kind, collection_ids, data)
        VALUES (CASE TG_OP WHEN 'INSERT' THEN 'collection.created' ELSE 'collection.updated' END,
                ARRAY[NEW.id], catalog_collection_summary(NEW));
    END IF;
    PERFORM catalog_changes_notify();
    RETURN NULL;
END
$$;

CREATE TRIGGER collections_recorded
    AFTER INSERT OR DELETE ON collections
    FOR EACH ROW WHEN (catalog_changes_on())
    EXECUTE FUNCTION collections_recorded();

-- artifact_count is kept by the membership triggers: a count moving is a membership event
CREATE TRIGGER collections_recorded_update
    AFTER UPDATE ON collections
    FOR EACH ROW WHEN ((OLD.name, OLD.description, OLD.updated_at) IS DISTINCT FROM
                       (NEW.name, NEW.description, NEW.updated_at) AND catalog_changes_on())
    EXECUTE FUNCTION collections_recorded();

-- One event per statement and collection, carrying the batch; fired after
-- collection_artifacts_counted_* (triggers fire in name order), so the count is the new one.
-- Memberships removed with their collection need no event of their own: collection.deleted says it.
CREATE FUNCTION collection_artifacts_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO catalog_changes (kind, collection_ids, data)
        SELECT 'membership.added', ARRAY[c.id],
               jsonb_build_object('collectionId', c.id, 'artifactIds', to_jsonb(d.ids), 'artifactCount', c.artifact_count)
          FROM (SELECT n.collection_id, array_agg(n.artifact_id ORDER BY n.artifact_id) AS ids
                  FROM new_rows n GROUP BY n.collection_id) d
          JOIN collections c ON c.id = d.collection_id
         ORDER BY c.id;
    ELSE
        INSERT INTO catalog_changes (kind, collection_ids, data)
        SELECT 'membership.removed', ARRAY[c.id],
               jsonb_build_object('collectionId', c.id, 'artifactIds', to_jsonb(d.ids), 'artifactCount', c.artifact_count)
          FROM (SELECT o.collection_id, array_agg(o.artifact_id ORDER BY o.artifact_id) AS ids
                  FROM old_rows o GROUP BY o.collection_id) d
          JOIN collections c ON c.id = d.collection_id
         ORDER BY c.id;
    END IF;
    PERFORM catalog_changes_notify();
    RETURN NULL;
END
$$;

CREATE TRIGGER collection_artifacts_recorded_insert
    AFTER INSERT ON collection_artifacts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT WHEN (catalog_changes_on())
    EXECUTE FUNCTION collection_artifacts_recorded();

CREATE TRIGGER collection_artifacts_recorded_delete
    AFTER DELETE ON collection_artifacts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT WHEN (catalog_changes_on())
    EXECUTE FUNCTION collection_artifacts_recorded();
--rollback DROP TRIGGER collection_artifacts_recorded_delete ON collection_artifacts;
--rollback DROP TRIGGER collection_artifacts_recorded_insert ON collection_artifacts;
--rollback DROP FUNCTION collection_artifacts_recorded();
--rollback DROP TRIGGER collections_recorded_update ON collections;
--rollback DROP TRIGGER collections_recorded ON collections;
--rollback DROP FUNCTION collections_recorded();
--rollback DROP TRIGGER artifacts_recorded_delete ON artifacts;
--rollback DROP TRIGGER artifacts_recorded ON artifacts;
--rollback DROP FUNCTION artifacts_recorded();
--rollback DROP FUNCTION catalog_changes_notify();
--rollback DROP FUNCTION catalog_collection_summary(collections);
--rollback DROP FUNCTION catalog_artifact_summary(uuid);
--rollback DROP FUNCTION catalog_instant(timestamptz);
--rollback DROP FUNCTION catalog_changes_on();
