package dev.catalog.embedded;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServersEnvironmentPostProcessorTests {

	@Test
	void liquibaseUrlIsDerivedFromThePlainR2dbcUrl() {
		assertThat(EmbeddedServersEnvironmentPostProcessor.jdbcUrl("r2dbc:postgresql://db.internal:5433/catalog"))
			.isEqualTo("jdbc:postgresql://db.internal:5433/catalog");
	}

	@Test
	void liquibaseUrlDropsCredentialsAndR2dbcOptionsButKeepsSslMode() {
		assertThat(EmbeddedServersEnvironmentPostProcessor
			.jdbcUrl("r2dbc:pool:postgresql://app:secret@db:5432/catalog?initialSize=5&sslmode=require"))
			.isEqualTo("jdbc:postgresql://db:5432/catalog?sslmode=require");
	}

	@Test
	void liquibaseUrlDefaultsToThePostgresDatabase() {
		assertThat(EmbeddedServersEnvironmentPostProcessor.jdbcUrl("r2dbc:postgresql://db"))
			.isEqualTo("jdbc:postgresql://db/postgres");
	}

	@Test
	void liquibaseUrlKeepsHostNamesWithUnderscores() {
		assertThat(EmbeddedServersEnvironmentPostProcessor.jdbcUrl("r2dbc:postgresql://app@catalog_db:5432/catalog"))
			.isEqualTo("jdbc:postgresql://catalog_db:5432/catalog");
	}

}
