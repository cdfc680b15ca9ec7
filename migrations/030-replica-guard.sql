--liquibase formatted sql

--changeset catalog:replica-replayed splitStatements:false
-- The guard of a read sent to a streaming replica (db/GuardedConnection): true on a primary, or
-- on a replica that has replayed the WAL up to `needed` (the last write the cache knows of);
-- otherwise the statement fails with SQLSTATE CRLAG and the service runs it on the primary.
-- STABLE, so that the planner evaluates it once per statement, before any row is read, as a
-- one-time filter (a VOLATILE one would be evaluated per row, and not at all without rows).
CREATE FUNCTION catalog_replayed(needed pg_lsn) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF pg_is_in_recovery() AND (pg_last_wal_replay_lsn() IS NULL OR pg_last_wal_replay_lsn() < needed) THEN
        RAISE EXCEPTION 'replica has replayed the WAL up to % of %', pg_last_wal_replay_lsn(), needed
            USING ERRCODE = 'CRLAG';
    END IF;
    RETURN true;
END
$$;
--rollback DROP FUNCTION catalog_replayed(pg_lsn);
