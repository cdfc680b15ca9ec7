package dev.catalog;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.catalog.db.CatalogChanges;
import dev.catalog.db.DatabaseFailures;
import dev.catalog.cache.RedisConnection;
import dev.catalog.embedded.CatalogSeeder;
import dev.catalog.embedded.SeedProperties;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

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

	private final CatalogChanges changes;

	TestCatalog(DatabaseClient database, RedisConnection redis, CatalogSeeder seeder, CatalogChanges changes) {
		this.database = database;
		this.redis = redis;
		this.seeder = seeder;
		this.changes = changes;
	}

	/**
	 * Tells the cache that the catalog changed, as every write does: for tests that change data
	 * with SQL behind the API's back.
	 */
	public void changed() {
		this.changes.committed().block(TIMEOUT);
	}

	/**
	 * Empties the catalog's tables (not the change feed's log): for test classes that run their
	 * own application contexts. One list, so a new table of the catalog is added in one place.
	 */
	public static final String EMPTY_CATALOG = "TRUNCATE artifacts, artifact_tags, artifact_versions, collections, "
			+ "collection_artifacts, collection_shares";

	/** {@link #EMPTY_CATALOG} and the change feed's log. */
	public static final String EMPTY_CATALOG_AND_CHANGES = EMPTY_CATALOG + ", catalog_changes, catalog_commits";

	/**
	 * Runs {@link #EMPTY_CATALOG_AND_CHANGES}, again if PostgreSQL chose it as a deadlock's victim
	 * ({@link DatabaseFailures#isRetryable}):
	 * a write of the test before may still be committing (its commit takes a lock on
	 * {@code catalog_commits}) while the truncation waits for the tables that write holds.
	 */
	public static Mono<Void> emptyCatalogAndChanges(DatabaseClient database) {
		return database.sql(EMPTY_CATALOG_AND_CHANGES)
			.then()
			.retryWhen(Retry.max(3).filter(DatabaseFailures::isRetryable));
	}

	/** Removes every artifact, collection and membership, and every cache entry. */
	public void reset() {
		emptyCatalogAndChanges(this.database).block(TIMEOUT);
		flushRedis();
	}

	/** Seeds, then empties the cache: seeding bypasses the write API and its invalidation. */
	public void seed(int artifacts, int collections) {
		this.seeder.seed(new SeedProperties(artifacts, collections, 2.0, 0.5)).block(TIMEOUT);
		flushRedis();
	}

	/** Retried: on a busy machine the first connection can miss Redis's short command timeout. */
	private void flushRedis() {
		this.redis.execute((commands) -> commands.flushdb())
			.retryWhen(Retry.backoff(5, Duration.ofMillis(100)))
			.block(TIMEOUT);
	}

	/** How many keys Redis holds. */
	public Long redisKeys() {
		return this.redis.execute((commands) -> commands.dbsize()).block(TIMEOUT);
	}

	/**
	 * How many times Redis has run each command (by name, as {@code INFO commandstats} names
	 * it), the {@code INFO} that asks left out: two readings differ by exactly what the service
	 * sent Redis between them.
	 */
	public Map<String, Long> redisCommands() {
		String stats = this.redis.execute((commands) -> commands.info("commandstats")).block(TIMEOUT);
		Map<String, Long> calls = new TreeMap<>();
		for (String line : stats.split("\r?\n")) {
			// cmdstat_get:calls=12,usec=40,usec_per_call=3.33,...
			if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
				String name = line.substring("cmdstat_".length(), line.indexOf(':'));
				String count = line.substring(line.indexOf("calls=") + "calls=".length());
				calls.put(name, Long.parseLong(count.substring(0, count.indexOf(','))));
			}
		}
		return calls;
	}

	/** Bytes Redis has sent to its clients since it started ({@code INFO stats}), this INFO's own answer included. */
	public long redisBytesSent() {
		String stats = this.redis.execute((commands) -> commands.info("stats")).block(TIMEOUT);
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("total_net_output_bytes:")) {
				return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
			}
		}
		throw new IllegalStateException("INFO stats without total_net_output_bytes: " + stats);
	}

	public DatabaseClient database() {
		return this.database;
	}

	public long count(String sql) {
		return this.database.sql(sql).map((row) -> row.get(0, Long.class)).one().block(TIMEOUT);
	}

}
