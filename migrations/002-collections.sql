--liquibase formatted sql

--changeset catalog:collections
CREATE TABLE collections (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description    text        NOT NULL DEFAULT '',
    -- denormalised: kept exact by the triggers on collection_artifacts, never recounted at read time
    artifact_count bigint      NOT NULL DEFAULT 0 CHECK (artifact_count >= 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX collections_created_at_id_idx ON collections (created_at DESC, id DESC);
--rollback DROP TABLE collections;

--changeset catalog:collection-artifacts
CREATE TABLE collection_artifacts (
    collection_id uuid        NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    artifact_id   uuid        NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (collection_id, artifact_id)
);
-- the primary key serves collection_id; this one serves artifact_id (the page's memberships)
CREATE INDEX collection_artifacts_artifact_id_idx ON collection_artifacts (artifact_id, collection_id);
-- most recently added members of a collection first, ties broken by artifact id
CREATE INDEX collection_artifacts_recent_idx ON collection_artifacts (collection_id, added_at DESC, artifact_id DESC);
--rollback DROP TABLE collection_artifacts;
