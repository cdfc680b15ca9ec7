package dev.catalog.db;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

@Configuration(proxyBeanMethods = false)
class WriteConfiguration {

	@Bean
	Writes writes(TransactionalOperator transactions, CatalogChanges changes, MeterRegistry registry, Clock clock,
			DatabaseProperties properties) {
		return new Writes(transactions, changes, registry, clock, Duration.ofMillis(10), properties.writeTimeout());
	}

}
