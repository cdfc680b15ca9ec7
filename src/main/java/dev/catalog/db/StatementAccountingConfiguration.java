package dev.catalog.db;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.r2dbc.autoconfigure.ProxyConnectionFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StatementAccountingConfiguration {

	@Bean
	ProxyConnectionFactoryCustomizer statementCounting(MeterRegistry registry, StatementProperties properties) {
		return (builder) -> {
			UnproxiedRows.apply(builder.getProxyConfig());
			builder.listener(new StatementCountingListener(registry, properties));
		};
	}

	@Bean
	StatementAccountingWebFilter statementAccountingWebFilter(StatementProperties properties,
			MeterRegistry registry) {
		return new StatementAccountingWebFilter(properties, registry);
	}

}
