package dev.catalog.system;

import java.time.Duration;

import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

@Configuration(proxyBeanMethods = false)
class SeedConfiguration {

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
