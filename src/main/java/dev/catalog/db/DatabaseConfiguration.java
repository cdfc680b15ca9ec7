package dev.catalog.db;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/** Database connection options, and the pool that replaces dead connections within a request. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	/**
	 * Applies {@link DatabaseProperties} to every connection, whether the URL points at the
	 * embedded PostgreSQL or an external one.
	 */
	@Bean
	ConnectionFactoryOptionsBuilderCustomizer databaseOptions(DatabaseProperties properties,
			ObjectProvider<ReactorResourceFactory> httpResources) {
		return (options) -> {
			if (properties.sharedEventLoops()) {
				httpResources.ifAvailable((resources) -> options.option(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES,
						resources.getLoopResources()));
			}
			if (!properties.statementTimeout().isZero()) {
				options.option(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT, properties.statementTimeout());
			}
			options.option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES,
					properties.preparedStatementCacheQueries());
		};
	}

	/**
	 * Puts {@link RevalidatingConnectionFactory} in front of the connection pool Boot builds, and
	 * {@link ReadRoutingConnectionFactory} in front of that (reads {@link Replicas#read} routes go
	 * to a replica; everything else, transactions included, to this pool).
	 */
	@Bean
	static BeanPostProcessor revalidatingConnectionPool() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ConnectionPool pool) ? new ReadRoutingConnectionFactory(new RevalidatingConnectionFactory(pool))
						: bean;
			}

		};
	}

}
