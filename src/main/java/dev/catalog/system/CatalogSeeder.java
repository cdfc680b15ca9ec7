package dev.catalog.system;

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
 */
public class CatalogSeeder {

	private static final Logger logger = LoggerFactory.getLogger(CatalogSeeder.class);

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
			INSERT INTO collection_artifacts (collection_id, artifact_id, added_at)
			SELECT md5('collection:' || m.c)::uuid,
			       md5('artifact:' || m.i)::uuid,
			       timestamptz '2025-01-01 00:00:00+00' + m.i * interval '1 second' + (m.r + 1) * interval '1 minute'
			  FROM (SELECT s.i, s.r,
			               CASE WHEN s.r = 0 AND (s.i * 7919) % 10000 < :hotShare * 10000 THEN 0
			                    WHEN :collections = 1 THEN 0
			                    ELSE 1 + ((s.i * 104729) % 1000003 + s.r) % (:collections - 1)
			               END AS c
			          FROM (SELECT g % :artifacts AS i, g / :artifacts AS r
			                  FROM generate_series(0, :memberships - 1) AS g) AS s) AS m
			ON CONFLICT DO NOTHING
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
	 * Seeds the catalog if it has no artifacts and no collections; otherwise does nothing.
	 * @return whether anything was seeded
	 */
	public Mono<Boolean> seedIfEmpty() {
		return this.database.sql("SELECT EXISTS (SELECT 1 FROM artifacts) OR EXISTS (SELECT 1 FROM collections) AS seeded")
			.map((row) -> row.get("seeded", Boolean.class))
			.one()
			.flatMap((seeded) -> (seeded || this.properties.artifacts() == 0) ? Mono.just(false)
					: seed(this.properties).thenReturn(true));
	}

	/**
	 * Seeds the given catalog in one transaction, whatever is already there.
	 */
	public Mono<Void> seed(SeedProperties seed) {
		long started = System.nanoTime();
		long memberships = (seed.collections() == 0) ? 0
				: Math.round(seed.artifacts() * seed.membershipsPerArtifact());
		Mono<Void> statements = this.database.sql("SET LOCAL synchronous_commit = off")
			.then()
			.then(this.database.sql(INSERT_COLLECTIONS).bind("collections", seed.collections()).then())
			.then(this.database.sql(INSERT_ARTIFACTS).bind("artifacts", seed.artifacts()).then())
			.then(this.database.sql(INSERT_TAGS).bind("artifacts", seed.artifacts()).then())
			.then(this.database.sql(INSERT_VERSIONS).bind("artifacts", seed.artifacts()).then())
			.then((memberships == 0) ? Mono.empty()
					: this.database.sql(INSERT_MEMBERSHIPS)
						.bind("collections", seed.collections())
						.bind("artifacts", seed.artifacts())
						.bind("memberships", memberships)
						.bind("hotShare", seed.hotCollectionShare())
						.then());
		return this.transactions.transactional(statements)
			.then(this.database.sql("ANALYZE artifacts, artifact_tags, artifact_versions, collections, collection_artifacts").then())
			.doOnSuccess((done) -> logger.info("Seeded {} artifacts, {} collections and {} memberships in {}",
					seed.artifacts(), seed.collections(), memberships,
					Duration.ofNanos(System.nanoTime() - started)));
	}

}
