package dev.catalog.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;

import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
/** Database connection options and load shedding: what keeps a burst from queueing without bound. */
class DatabaseConfiguration {

	/**
	 * Applies {@link DatabaseProperties} to every connection, whether the URL points at the
	 * embedded PostgreSQL or an external one.
	 */
	@Bean
	ConnectionFactoryOptionsBuilderCustomizer databaseOptions(DatabaseProperties properties) {
		return (options) -> {
			if (!properties.statementTimeout().isZero()) {
				options.option(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT, properties.statementTimeout());
			}
			options.option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES,
					properties.preparedStatementCacheQueries());
		};
	}

	@Bean
	InFlightLimitWebFilter inFlightLimitWebFilter(OverloadProperties properties, MeterRegistry registry) {
		return new InFlightLimitWebFilter(properties, registry);
	}

}
