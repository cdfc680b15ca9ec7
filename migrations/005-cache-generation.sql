--liquibase formatted sql

--changeset catalog:cache-generation
-- Writes made while Redis could not be told: each takes a value, and every instance folds the
-- sequence into the Redis cache generation before serving from Redis again.
CREATE SEQUENCE catalog_generation AS bigint;
--rollback DROP SEQUENCE catalog_generation;
