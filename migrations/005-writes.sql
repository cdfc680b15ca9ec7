--liquibase formatted sql

--changeset catalog:collection-names-unique
-- Collection names are unique regardless of case: a second "Hot picks" is refused with 409.
CREATE UNIQUE INDEX collections_name_key ON collections (lower(name));
--rollback DROP INDEX collections_name_key;

--changeset catalog:jsonb-merge-patch splitStatements:false
-- RFC 7396 JSON merge patch, applied inside the UPDATE so that a PATCH of metadata is one
-- statement and never a read-modify-write race: a null member removes the key, an object
-- merges recursively, anything else replaces.
CREATE FUNCTION jsonb_merge_patch(target jsonb, patch jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    result jsonb;
    member record;
BEGIN
    IF patch IS NULL OR jsonb_typeof(patch) <> 'object' THEN
        RETURN patch;
    END IF;
    result := CASE WHEN jsonb_typeof(target) = 'object' THEN target ELSE '{}'::jsonb END;
    FOR member IN SELECT p.key, p.value FROM jsonb_each(patch) AS p LOOP
        IF jsonb_typeof(member.value) = 'null' THEN
            result := result - member.key;
        ELSE
            result := jsonb_set(result, ARRAY[member.key], jsonb_merge_patch(result -> member.key, member.value));
        END IF;
    END LOOP;
    RETURN result;
END
$$;
--rollback DROP FUNCTION jsonb_merge_patch(jsonb, jsonb);
