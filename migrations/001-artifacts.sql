--liquibase formatted sql

--changeset catalog:artifacts
CREATE TABLE artifacts (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    type        text        NOT NULL CHECK (type IN ('skill', 'command', 'agent', 'mcp', 'hook')),
    description text        NOT NULL DEFAULT '',
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- newest-first keyset order of the artifact list, ties broken by id
CREATE INDEX artifacts_created_at_id_idx ON artifacts (created_at DESC, id DESC);
CREATE INDEX artifacts_type_created_at_id_idx ON artifacts (type, created_at DESC, id DESC);
--rollback DROP TABLE artifacts;

--changeset catalog:artifact-tags
CREATE TABLE artifact_tags (
    artifact_id uuid NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    tag         text NOT NULL CHECK (char_length(tag) BETWEEN 1 AND 50),
    PRIMARY KEY (artifact_id, tag)
);
-- the primary key serves the foreign key; this one serves the tag filter
CREATE INDEX artifact_tags_tag_artifact_id_idx ON artifact_tags (tag, artifact_id);
--rollback DROP TABLE artifact_tags;

--changeset catalog:artifact-versions
CREATE TABLE artifact_versions (
    artifact_id uuid        NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    version     text        NOT NULL CHECK (char_length(version) BETWEEN 1 AND 100),
    released_at timestamptz NOT NULL,
    PRIMARY KEY (artifact_id, version)
);
-- newest-first versions of one artifact
CREATE INDEX artifact_versions_artifact_id_released_at_idx ON artifact_versions (artifact_id, released_at DESC);
--rollback DROP TABLE artifact_versions;
