--liquibase formatted sql

--changeset catalog:change-instants splitStatements:false
-- The change feed's events write instants as the lists do (json_instant, migration 010), so an
-- event and the list it updates show the same string for the same instant.
CREATE OR REPLACE FUNCTION catalog_instant(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT json_instant(t) $$;
--rollback CREATE OR REPLACE FUNCTION catalog_instant(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
