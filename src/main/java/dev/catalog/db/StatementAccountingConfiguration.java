package dev.catalog.db;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every statement counted against its request ({@link StatementCounter}, under the pools of the
 * primary and the replicas) and reported per request ({@link StatementAccountingWebFilter}).
 */
@Configuration(proxyBeanMethods = false)
class StatementAccountingConfiguration {

	@Bean
	StatementCounter statementCounter(MeterRegistry registry, StatementProperties properties) {
		return new StatementCounter(registry, properties);
	}

	@Bean
	ConnectionFactoryDecorator statementCounting(StatementCounter counter) {
		return CountingConnectionFactory.decorator(counter);
	}

	@Bean
	StatementAccountingWebFilter statementAccountingWebFilter(StatementProperties properties,
			MeterRegistry registry) {
		return new StatementAccountingWebFilter(properties, registry);
	}

}
