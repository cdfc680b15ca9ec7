--liquibase formatted sql

--changeset catalog:collection-shares
-- A collection shared by link: the token is the link's only secret (random, 256 bits, base64url),
-- so it is the key the public share page looks up. Deleting a collection deletes its links.
CREATE TABLE collection_shares (
    token         text        PRIMARY KEY CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
    collection_id uuid        NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL
);
-- a collection's links, newest first; also serves the foreign key's cascade
CREATE INDEX collection_shares_collection_id_idx ON collection_shares (collection_id, created_at DESC, token);
--rollback DROP TABLE collection_shares;
