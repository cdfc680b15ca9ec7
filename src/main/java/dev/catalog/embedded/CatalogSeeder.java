package dev.catalog.embedded;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Generates a deterministic catalog inside PostgreSQL with set-based statements: the same
 * settings always give the same ids, names, tags, times and memberships, so benchmarks and
 * demos are repeatable. Ids are md5-derived UUIDs of the row number, and every "random" choice
 * is modular arithmetic on the row number.
 * <p>
 * Collection 0 is the hot collection; in the first membership round a
 * {@code hotCollectionShare} of the artifacts land in it, every other membership goes to one of
 * the other collections, never twice to the same one. {@code artifact_count} is maintained by
 * the membership triggers, so it equals the real count when seeding ends.
 * <p>
 * Loading into indexed tables costs several times more than building the indexes afterwards,
 * so the seeding transaction drops the catalog's indexes and key constraints, as the database
 * itself describes them ({@code pg_get_indexdef}, {@code pg_get_constraintdef}), loads the
 * rows, and recreates them exactly; the foreign keys are validated when they come back. All of
 * it is one transaction under an advisory lock: concurrent instances starting on one empty
 * database seed it once, and a failure leaves the catalog as it was.
 */
public class CatalogSeeder {

	private static final Logger logger = LoggerFactory.getLogger(CatalogSeeder.class);

	private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('catalog-seed'))";

	private static final String IS_EMPTY = """
			SELECT NOT EXISTS (SELECT 1 FROM artifacts) AND NOT EXISTS (SELECT 1 FROM collections) AS empty
			""";

	private static final String SAVE_KEYS_AND_INDEXES = """
			CREATE TEMP TABLE catalog_seed_ddl ON COMMIT DROP AS
			SELECT c.contype = 'f' AS foreign_key,
			       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_statement,
			       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
			              pg_get_constraintdef(c.oid)) AS restore_statement
			  FROM pg_constraint c
			 WHERE (c.conrelid = ANY (ARRAY['artifacts', 'artifact_tags', 'artifact_versions', 'collections',
			                               'collection_artifacts']::regclass[])
			        AND c.contype IN ('p', 'u', 'f'))
			    -- other tables' keys that point at these (collection_shares): a referenced key cannot go first
			    OR (c.contype = 'f'
			        AND c.confrelid = ANY (ARRAY['artifacts', 'artifact_tags', 'artifact_versions', 'collections',
			                                     'collection_artifacts']::regclass[]))
			UNION ALL
			SELECT false, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
			  FROM pg_index i
			 WHERE i.indrelid = ANY (ARRAY['artifacts', 'artifact_tags', 'artifact_versions', 'collections',
			                              'collection_artifacts']::regclass[])
			   AND NOT EXISTS (SELECT 1 FROM pg_constraint c
			                    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u'))
			""";

	private static final String DROP_KEYS_AND_INDEXES = """
			DO $$
			DECLARE statement text;
			BEGIN
			    FOR statement IN SELECT drop_statement FROM catalog_seed_ddl ORDER BY foreign_key DESC LOOP
			        EXECUTE statement;
			    END LOOP;
			END
			$$
			""";

	private static final String RESTORE_KEYS_AND_INDEXES = """
			DO $$
			DECLARE statement text;
			BEGIN
			    FOR statement IN SELECT restore_statement FROM catalog_seed_ddl ORDER BY foreign_key LOOP
			        EXECUTE statement;
			    END LOOP;
			END
			$$
			""";

	private static final String INSERT_COLLECTIONS = """
			INSERT INTO collections (id, name, description, created_at, updated_at)
			SELECT md5('collection:' || i)::uuid,
			       CASE WHEN i = 0 THEN 'Hot picks'
			            ELSE initcap((ARRAY['core','cloud','data','devops','docs','frontend','backend','security',
			                                'testing','ml','mobile','infra','design','ops','research','tools'])[1 + i % 16])
			                 || ' ' || (ARRAY['essentials','toolkit','starter','pack','suite','library','kit','bundle'])[1 + (i / 16) % 8]
			                 || ' ' || i
			       END,
			       'Generated collection ' || i,
			       timestamptz '2025-01-01 00:00:00+00' + i * interval '1 minute',
			       timestamptz '2025-01-01 00:00:00+00' + i * interval '1 minute'
			  FROM generate_series(0, :collections - 1) AS i
			""";

	private static final String INSERT_ARTIFACTS = """
			INSERT INTO artifacts (id, name, type, description, metadata, created_at, updated_at)
			SELECT md5('artifact:' || i)::uuid,
			       (ARRAY['swift','quiet','bright','lazy','clever','brave','calm','eager','fuzzy','gentle',
			              'happy','jolly','kind','lively','mighty','nimble','proud','rapid','sharp','witty'])[1 + (i * 7) % 20]
			       || '-' || (ARRAY['linter','formatter','reviewer','planner','builder','tester','deployer','indexer',
			                        'searcher','summarizer','translator','scheduler','monitor','fetcher','parser',
			                        'renderer','migrator','profiler','scanner','notifier','archiver','compiler',
			                        'debugger','explainer','refactorer'])[1 + (i * 13) % 25]
			       || '-' || i,
			       (ARRAY['skill','command','agent','mcp','hook'])[1 + (i * 3 + i / 5) % 5],
			       'Generated artifact number ' || i || ' for demos and load tests.',
			       jsonb_build_object('seed', i, 'stars', (i * 7919) % 1000, 'license', (ARRAY['MIT','Apache-2.0','BSD-3-Clause'])[1 + i % 3]),
			       timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second',
			       timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second'
			  FROM generate_series(0, :artifacts - 1) AS i
			""";

	private static final String INSERT_TAGS = """
			INSERT INTO artifact_tags (artifact_id, tag)
			SELECT md5('artifact:' || i)::uuid,
			       (ARRAY['ai','automation','cli','git','python','java','typescript','rust','go','sql',
			              'docker','kubernetes','aws','gcp','azure','testing','security','docs','ci','web',
			              'api','data','ml','llm','search','monitoring','logging','performance','ux','beta'])[1 + (i * 31 + k * 17) % 30]
			  FROM generate_series(0, :artifacts - 1) AS i, generate_series(0, 2) AS k
			 WHERE k < i % 4
			""";

	private static final String INSERT_VERSIONS = """
			INSERT INTO artifact_versions (artifact_id, version, released_at)
			SELECT md5('artifact:' || i)::uuid,
			       '1.' || k || '.0',
			       timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second' + k * interval '1 day'
			  FROM generate_series(0, :artifacts - 1) AS i, generate_series(0, 1) AS k
			 WHERE k = 0 OR i % 2 = 0
			""";

	private static final String INSERT_MEMBERSHIPS = """
			INSERT INTO collection_artifacts (collection_id, artifact_id, added_at, artifact_created_at)
			SELECT md5('collection:' || m.c)::uuid,
			       md5('artifact:' || m.i)::uuid,
			       timestamptz '2025-01-01 00:00:00+00' + m.i * interval '1 second' + (m.r + 1) * interval '1 minute',
			       timestamptz '2025-01-01 00:00:00+00' + m.i * interval '1 second'
			  FROM (SELECT s.i, s.r,
			               CASE WHEN s.r = 0 AND (s.i * 7919) % 10000 < :hotShare * 10000 THEN 0
			                    WHEN :collections = 1 THEN 0
			                    ELSE 1 + ((s.i * 104729) % 1000003 + s.r) % (:collections - 1)
			               END AS c
			          FROM (SELECT g % :artifacts AS i, g / :artifacts AS r
			                  FROM generate_series(0, :memberships - 1) AS g) AS s) AS m
			""";

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final SeedProperties properties;

	public CatalogSeeder(DatabaseClient database, TransactionalOperator transactions, SeedProperties properties) {
		this.database = database;
		this.transactions = transactions;
		this.properties = properties;
	}

	/**
	 * Seeds the configured catalog if there are no artifacts and no collections; otherwise
	 * does nothing.
	 * @return whether anything was seeded
	 */
	public Mono<Boolean> seedIfEmpty() {
		if (this.properties.artifacts() == 0) {
			return Mono.just(false);
		}
		Mono<Boolean> seedWhileLocked = sql(LOCK).then(this.database.sql(IS_EMPTY)
			.map((row) -> row.get("empty", Boolean.class))
			.one()
			.flatMap((empty) -> empty ? load(this.properties).thenReturn(true) : Mono.just(false)));
		return this.transactions.transactional(seedWhileLocked).flatMap(this::analyzed);
	}

	/**
	 * Seeds the given catalog in one transaction; the catalog is expected to be empty.
	 */
	public Mono<Void> seed(SeedProperties seed) {
		return this.transactions.transactional(sql(LOCK).then(load(seed))).then(analyzed(true)).then();
	}

	private Mono<Void> load(SeedProperties seed) {
		long memberships = (seed.collections() == 0) ? 0
				: Math.round(seed.artifacts() * seed.membershipsPerArtifact());
		return Mono.defer(() -> {
			long started = System.nanoTime();
			// seeding a large catalog runs statements far longer than catalog.db.statement-timeout
			return sql("SET LOCAL statement_timeout = 0")
				.then(sql("SET LOCAL synchronous_commit = off"))
				.then(sql("SET LOCAL maintenance_work_mem = '256MB'"))
				// a bulk load is the initial catalog, not a change to announce on the feed (migration 007)
				.then(sql("SET LOCAL catalog.changes = 'off'"))
				.then(sql(SAVE_KEYS_AND_INDEXES))
				.then(sql(DROP_KEYS_AND_INDEXES))
				.then(this.database.sql(INSERT_COLLECTIONS).bind("collections", (long) seed.collections()).then())
				.then(this.database.sql(INSERT_ARTIFACTS).bind("artifacts", (long) seed.artifacts()).then())
				.then(this.database.sql(INSERT_TAGS).bind("artifacts", (long) seed.artifacts()).then())
				.then(this.database.sql(INSERT_VERSIONS).bind("artifacts", (long) seed.artifacts()).then())
				.then((memberships == 0) ? Mono.empty()
						: this.database.sql(INSERT_MEMBERSHIPS)
							.bind("collections", (long) seed.collections())
							.bind("artifacts", (long) seed.artifacts())
							.bind("memberships", memberships)
							.bind("hotShare", seed.hotCollectionShare())
							.then())
				.then(sql(RESTORE_KEYS_AND_INDEXES))
				.doOnSuccess((done) -> logger.info("Seeded {} artifacts, {} collections and {} memberships in {}",
						seed.artifacts(), seed.collections(), memberships,
						Duration.ofNanos(System.nanoTime() - started)));
		});
	}

	private Mono<Boolean> analyzed(boolean seeded) {
		return seeded ? this.transactions.transactional(sql("SET LOCAL statement_timeout = 0")
			.then(sql("ANALYZE artifacts, artifact_tags, artifact_versions, collections, collection_artifacts")))
			.thenReturn(true) : Mono.just(false);
	}

	private Mono<Void> sql(String statement) {
		return this.database.sql(statement).then();
	}

}
