\timing off
CREATE TEMP TABLE ids AS SELECT a.id FROM artifacts a WHERE NOT EXISTS (SELECT 1 FROM collection_artifacts ca JOIN collections c ON c.id = ca.collection_id WHERE ca.artifact_id = a.id AND c.id = (SELECT id FROM collections WHERE name <> 'Hot picks' ORDER BY name LIMIT 1)) ORDER BY random() LIMIT 1000;
SELECT id AS cid FROM collections WHERE name <> 'Hot picks' ORDER BY name LIMIT 1 \gset
BEGIN;
EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) INSERT INTO collection_artifacts (collection_id, artifact_id, added_at) SELECT :'cid', u.id, now() FROM (SELECT array_agg(id) AS ids FROM ids) x, unnest(x.ids) AS u (id) ON CONFLICT DO NOTHING;
ROLLBACK;
BEGIN;
EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) INSERT INTO collection_artifacts (collection_id, artifact_id, added_at, artifact_created_at) SELECT :'cid', a.id, now(), a.created_at FROM artifacts a WHERE a.id = ANY (CAST((SELECT array_agg(id) FROM ids) AS uuid[])) ON CONFLICT DO NOTHING;
ROLLBACK;
