package dev.catalog.db;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The replicas' pools, built the way Boot builds the primary's: the same option customizers
 * ({@link DatabaseConfiguration#databaseOptions}: statement timeout, prepared statement cache,
 * event loops), the same decorators ({@link CountingConnectionFactory}, so a replica's
 * statements count in {@code Server-Timing} like the
 * primary's), the same pool settings ({@code spring.r2dbc.pool.*}).
 */
@Configuration(proxyBeanMethods = false)
class ReplicaConfiguration {

	@Bean(destroyMethod = "stop")
	Replicas replicas(ReplicaProperties properties, R2dbcProperties r2dbc,
			ObjectProvider<ConnectionFactoryOptionsBuilderCustomizer> customizers,
			ObjectProvider<ConnectionFactoryDecorator> decorators, MeterRegistry registry) {
		List<Replica> replicas = new ArrayList<>();
		for (String url : properties.replicas()) {
			ConnectionFactoryBuilder builder = ConnectionFactoryBuilder.withUrl(url);
			if (!ConnectionFactoryOptions.parse(url).hasOption(ConnectionFactoryOptions.USER)) {
				if (r2dbc.getUsername() != null) {
					builder.username(r2dbc.getUsername());
				}
				if (r2dbc.getPassword() != null) {
					builder.password(r2dbc.getPassword());
				}
			}
			ConnectionFactory connections = builder
				.configure((options) -> customizers.orderedStream().forEach((customizer) -> customizer.customize(options)))
				.decorators(decorators.orderedStream().toList())
				.build();
			replicas.add(new Replica(url.replaceAll("//[^@/]*@", "//"), pool(connections, r2dbc.getPool()),
					properties.replicaMaxLag(), registry));
		}
		return new Replicas(replicas, properties.replicaCheckInterval());
	}

	/** As Boot's {@code ConnectionFactoryConfigurations.PoolConfiguration} does for the primary. */
	private static ConnectionPool pool(ConnectionFactory connections, R2dbcProperties.Pool pool) {
		PropertyMapper map = PropertyMapper.get();
		ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration.builder(connections);
		map.from(pool.getMaxIdleTime()).to(builder::maxIdleTime);
		map.from(pool.getMaxLifeTime()).to(builder::maxLifeTime);
		map.from(pool.getMaxAcquireTime()).to(builder::maxAcquireTime);
		map.from(pool.getAcquireRetry()).to(builder::acquireRetry);
		map.from(pool.getMaxCreateConnectionTime()).to(builder::maxCreateConnectionTime);
		map.from(pool.getInitialSize()).to(builder::initialSize);
		map.from(pool.getMaxSize()).to(builder::maxSize);
		map.from(pool.getValidationQuery()).whenHasText().to(builder::validationQuery);
		map.from(pool.getValidationDepth()).to(builder::validationDepth);
		map.from(pool.getMinIdle()).to(builder::minIdle);
		map.from(pool.getMaxValidationTime()).to(builder::maxValidationTime);
		return new ConnectionPool(builder.build());
	}

}
