--liquibase formatted sql

--changeset catalog:artifact-details splitStatements:false
-- One artifact's detail (ArtifactDetail's JSON), rendered as the list renders its artifacts
-- (ArtifactQueries.ENRICH: row_to_json with the keys in order, json_instant, the collections by
-- name with their counts) and read by ArtifactQueries.find with `WHERE id = :id`. A view rather
-- than the same text in the Java code because the driver (r2dbc-postgresql 1.1) tokenizes every
-- statement's text in Java each time a statement is created, and this one is ~1 KB: 9 % of the
-- service's CPU on a detail miss (bench/results/cpu/README.md). PostgreSQL expands the view into
-- the calling statement and plans the two alike (an index lookup of the id, the lateral
-- subqueries for that row only), so the database's work is the same.
CREATE VIEW artifact_details AS
SELECT a.id, row_to_json(j)::text AS json
  FROM artifacts a
 CROSS JOIN LATERAL (
       SELECT a.id, a.name, a.type, a.description,
              ARRAY(SELECT t.tag FROM artifact_tags t WHERE t.artifact_id = a.id ORDER BY t.tag) AS tags,
              a.metadata,
              (SELECT coalesce('[' || string_agg(row_to_json(vj)::text, ','
                                   ORDER BY v.released_at DESC, v.version DESC) || ']', '[]')::json
                 FROM artifact_versions v
                CROSS JOIN LATERAL (SELECT v.version, json_instant(v.released_at) AS "releasedAt") vj
                WHERE v.artifact_id = a.id) AS versions,
              json_instant(a.created_at) AS "createdAt", json_instant(a.updated_at) AS "updatedAt",
              (SELECT coalesce('[' || string_agg(row_to_json(cj)::text, ',' ORDER BY c.name, c.id) || ']', '[]')::json
                 FROM collection_artifacts ca
                 JOIN collections c ON c.id = ca.collection_id
                CROSS JOIN LATERAL (SELECT c.id, c.name, c.artifact_count AS "artifactCount") cj
                WHERE ca.artifact_id = a.id) AS collections) j;
--rollback DROP VIEW artifact_details;
