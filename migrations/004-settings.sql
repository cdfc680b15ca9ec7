--liquibase formatted sql

--changeset catalog:catalog-settings
-- Settings every instance must agree on, kept where every instance already looks.
CREATE TABLE catalog_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);
--rollback DROP TABLE catalog_settings;

--changeset catalog:cursor-secret
-- Key that signs pagination cursors: shared by all instances, generated once per database.
INSERT INTO catalog_settings (name, value)
VALUES ('cursor-secret', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
--rollback DELETE FROM catalog_settings WHERE name = 'cursor-secret';
