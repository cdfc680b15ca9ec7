--liquibase formatted sql

--changeset catalog:json-instant splitStatements:false
-- Reads render their JSON in the statement that reads them (one text value per artifact, which
-- the service copies into the answer as it is), so timestamps must come out exactly as the
-- service's own JSON writes them for the answers it renders itself (a write's answer): ISO-8601
-- in UTC, with as many fraction digits as needed in groups of three (java.time's ISO_INSTANT),
-- so that a list and a write's answer show the same string for the same instant. A SQL function
-- that PostgreSQL inlines into the calling statement.
CREATE FUNCTION json_instant(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || CASE WHEN date_part('microseconds', t AT TIME ZONE 'UTC')::int % 1000000 = 0 THEN ''
                   WHEN date_part('microseconds', t AT TIME ZONE 'UTC')::int % 1000 = 0
                        THEN to_char(t AT TIME ZONE 'UTC', '.MS')
                   ELSE to_char(t AT TIME ZONE 'UTC', '.US') END
           || 'Z'
$$;
--rollback DROP FUNCTION json_instant(timestamptz);
