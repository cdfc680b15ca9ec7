--liquibase formatted sql

--changeset catalog:collection-artifacts-artifact-created-at splitStatements:false
-- The artifact list filtered by collection is newest-artifact first. Carrying the (immutable)
-- creation time of the artifact on the membership lets one index range scan of the collection
-- serve that order, whatever the collection's size; without it, a small collection is found
-- by scanning all artifacts newest first.
ALTER TABLE collection_artifacts ADD COLUMN artifact_created_at timestamptz;
UPDATE collection_artifacts ca SET artifact_created_at = a.created_at FROM artifacts a WHERE a.id = ca.artifact_id;
ALTER TABLE collection_artifacts ALTER COLUMN artifact_created_at SET NOT NULL;

CREATE FUNCTION collection_artifacts_artifact_created_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.created_at INTO NEW.artifact_created_at FROM artifacts a WHERE a.id = NEW.artifact_id;
    RETURN NEW;
END
$$;

-- writers need not know about the column; a bulk load that knows the time may set it itself
CREATE TRIGGER collection_artifacts_artifact_created_at
    BEFORE INSERT ON collection_artifacts
    FOR EACH ROW WHEN (NEW.artifact_created_at IS NULL)
    EXECUTE FUNCTION collection_artifacts_artifact_created_at();

CREATE INDEX collection_artifacts_artifact_order_idx
    ON collection_artifacts (collection_id, artifact_created_at DESC, artifact_id DESC);
--rollback DROP INDEX collection_artifacts_artifact_order_idx;
--rollback DROP TRIGGER collection_artifacts_artifact_created_at ON collection_artifacts;
--rollback DROP FUNCTION collection_artifacts_artifact_created_at();
--rollback ALTER TABLE collection_artifacts DROP COLUMN artifact_created_at;
