--liquibase formatted sql

--changeset catalog:membership-count-triggers splitStatements:false
-- Statement-level triggers with transition tables: a batch of n memberships costs one grouped
-- UPDATE, not n. Collection rows are locked in id order first so that two statements touching
-- the same collections cannot deadlock on each other.
CREATE FUNCTION collection_artifacts_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM collections c
         WHERE c.id IN (SELECT DISTINCT n.collection_id FROM new_rows n)
         ORDER BY c.id FOR NO KEY UPDATE;
        UPDATE collections c
           SET artifact_count = c.artifact_count + d.delta
          FROM (SELECT n.collection_id, count(*) AS delta FROM new_rows n GROUP BY n.collection_id) d
         WHERE c.id = d.collection_id;
    ELSE
        PERFORM 1 FROM collections c
         WHERE c.id IN (SELECT DISTINCT o.collection_id FROM old_rows o)
         ORDER BY c.id FOR NO KEY UPDATE;
        UPDATE collections c
           SET artifact_count = c.artifact_count - d.delta
          FROM (SELECT o.collection_id, count(*) AS delta FROM old_rows o GROUP BY o.collection_id) d
         WHERE c.id = d.collection_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER collection_artifacts_counted_insert
    AFTER INSERT ON collection_artifacts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION collection_artifacts_counted();

CREATE TRIGGER collection_artifacts_counted_delete
    AFTER DELETE ON collection_artifacts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION collection_artifacts_counted();
--rollback DROP TRIGGER collection_artifacts_counted_delete ON collection_artifacts;
--rollback DROP TRIGGER collection_artifacts_counted_insert ON collection_artifacts;
--rollback DROP FUNCTION collection_artifacts_counted();
