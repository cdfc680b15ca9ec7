--liquibase formatted sql

--changeset catalog:replica-caught-up splitStatements:false
-- The guard of a read sent to a streaming replica (db/GuardedConnection), catalog_replayed's
-- successor: true on a primary, or on a replica that has replayed the WAL up to `needed` (the
-- last write the cache knows of) and whose snapshot holds the change feed's commit
-- `needed_commit` (0: none required; a list stream requires the commit its feed position
-- covers, so that following the feed from that position misses nothing the stream did not show).
-- STABLE: evaluated once per statement, with the calling statement's snapshot.
CREATE FUNCTION catalog_caught_up(needed pg_lsn, needed_commit bigint) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT pg_is_in_recovery() THEN
        RETURN true;
    END IF;
    IF pg_last_wal_replay_lsn() IS NULL OR pg_last_wal_replay_lsn() < needed THEN
        RAISE EXCEPTION 'replica has replayed the WAL up to % of %', pg_last_wal_replay_lsn(), needed
            USING ERRCODE = 'CRLAG';
    END IF;
    IF needed_commit > 0 AND NOT EXISTS (SELECT 1 FROM catalog_commits m WHERE m.position >= needed_commit) THEN
        RAISE EXCEPTION 'replica has not replayed commit % of the change feed', needed_commit
            USING ERRCODE = 'CRLAG';
    END IF;
    RETURN true;
END
$$;
--rollback DROP FUNCTION catalog_caught_up(pg_lsn, bigint);
