package dev.catalog.embedded;

import java.time.Duration;

import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The embedded servers' side of the application: seeding an empty catalog and saying which
 * embedded servers this JVM started. Registered as an auto-configuration (and the servers
 * themselves by an environment post-processor, both in {@code META-INF}) so that nothing in the
 * service's own packages refers to this one.
 */
@AutoConfiguration
@EnableConfigurationProperties(SeedProperties.class)
public class EmbeddedServersAutoConfiguration {

	@Bean
	CatalogSeeder catalogSeeder(DatabaseClient database, TransactionalOperator transactions,
			SeedProperties properties) {
		return new CatalogSeeder(database, transactions, properties);
	}

	/**
	 * Seeds before the application reports ready, so a load test never sees a half-built
	 * catalog. Blocking is fine here: runners run on the main thread, not an event loop.
	 */
	@Bean
	ApplicationRunner describeEmbeddedServers() {
		return (arguments) -> {
			String servers = EmbeddedServers.describe();
			if (!servers.isEmpty()) {
				LoggerFactory.getLogger(EmbeddedServers.class).info("Using {}", servers);
			}
		};
	}

	@Bean
	ApplicationRunner seedEmptyCatalog(CatalogSeeder seeder) {
		return (arguments) -> seeder.seedIfEmpty().block(Duration.ofMinutes(30));
	}

}
