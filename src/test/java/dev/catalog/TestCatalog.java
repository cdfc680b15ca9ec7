package dev.catalog;

import java.time.Duration;

import dev.catalog.cache.RedisConnection;
import dev.catalog.system.CatalogSeeder;
import dev.catalog.system.SeedProperties;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Test-side access to the real servers: empties the catalog and the cache between tests and
 * seeds small deterministic catalogs.
 */
@TestComponent
public class TestCatalog {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final DatabaseClient database;

	private final RedisConnection redis;

	private final CatalogSeeder seeder;

	TestCatalog(DatabaseClient database, RedisConnection redis, CatalogSeeder seeder) {
		this.database = database;
		this.redis = redis;
		this.seeder = seeder;
	}

	/** Removes every artifact, collection and membership, and every cache entry. */
	public void reset() {
		this.database.sql("TRUNCATE artifacts, artifact_tags, artifact_versions, collections, collection_artifacts")
			.then()
			.block(TIMEOUT);
		this.redis.commands().flatMap((commands) -> commands.flushdb()).block(TIMEOUT);
	}

	/** Seeds, then empties the cache: seeding bypasses the write API and its invalidation. */
	public void seed(int artifacts, int collections) {
		this.seeder.seed(new SeedProperties(artifacts, collections, 2.0, 0.5)).block(TIMEOUT);
		this.redis.commands().flatMap((commands) -> commands.flushdb()).block(TIMEOUT);
	}

	public DatabaseClient database() {
		return this.database;
	}

	public long count(String sql) {
		return this.database.sql(sql).map((row) -> row.get(0, Long.class)).one().block(TIMEOUT);
	}

}
