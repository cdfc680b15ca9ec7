--liquibase formatted sql

--changeset catalog:catalog-commits
-- The change feed's order: one row per transaction that recorded changes, numbered in commit
-- order. A change's position is (commit position, seq). Transaction ids (the log's key) follow
-- the order transactions first wrote or locked something, not the order they committed: a
-- transaction that took its id and then waited for a later one would be delivered before the
-- write it waited for, and a client applying both in order would keep the older state.
CREATE SEQUENCE catalog_commit_position AS bigint;
CREATE TABLE catalog_commits (
    position     bigint      PRIMARY KEY,
    txid         xid8        NOT NULL UNIQUE,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Changes recorded before this migration keep their old order (transaction ids)
INSERT INTO catalog_commits (position, txid, committed_at)
SELECT nextval('catalog_commit_position'), t.txid, t.recorded_at
  FROM (SELECT c.txid, max(c.recorded_at) AS recorded_at
          FROM catalog_changes c GROUP BY c.txid ORDER BY c.txid) t;
-- Positions written before this migration mean something else now: clients holding one get a
-- reset (Position.RETIRED); the pruned-through position is written anew by the next prune.
DELETE FROM catalog_settings WHERE name = 'changes-pruned-through';
--rollback DELETE FROM catalog_settings WHERE name = 'changes-pruned-through';
--rollback DROP TABLE catalog_commits;
--rollback DROP SEQUENCE catalog_commit_position;

--changeset catalog:catalog-commits-trigger splitStatements:false
-- Numbers a transaction that recorded changes as it commits. A deferred constraint trigger runs
-- at COMMIT, after every statement of the transaction; the lock, held until the commit has
-- ended (PostgreSQL makes a commit visible before it releases the transaction's locks), makes
-- numbering and becoming visible one step: a transaction numbered n+1 took the lock after n was
-- visible, so a reader that sees n+1 sees n, and a reader that has read up to n never finds a
-- change numbered below it later (no gaps, no fence). If one transaction saw another's write or
-- waited for its lock, it commits after it and is numbered after it: delivery follows commits.
-- Price: the ends of committing writes run one at a time (the commit record's flush included);
-- reads and the writes' statements themselves still run in parallel.
-- Constraint triggers are per row; the first change of a transaction numbers it, the others
-- (a bulk statement's) see the transaction-local setting and return at once.
CREATE FUNCTION catalog_commits_number() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('catalog.commit_numbered', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('catalog.commit_numbered', 'yes', true);
        PERFORM pg_advisory_xact_lock(hashtext('catalog_commits'));
        INSERT INTO catalog_commits (position, txid)
        VALUES (nextval('catalog_commit_position'), pg_current_xact_id());
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER catalog_commits_number
    AFTER INSERT ON catalog_changes
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    EXECUTE FUNCTION catalog_commits_number();
--rollback DROP TRIGGER catalog_commits_number ON catalog_changes;
--rollback DROP FUNCTION catalog_commits_number();
