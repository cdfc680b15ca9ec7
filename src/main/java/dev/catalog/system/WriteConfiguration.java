package dev.catalog.system;

import dev.catalog.cache.CatalogChanges;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

@Configuration(proxyBeanMethods = false)
class WriteConfiguration {

	@Bean
	Writes writes(TransactionalOperator transactions, CatalogChanges changes, MeterRegistry registry) {
		return new Writes(transactions, changes, registry);
	}

	@Bean
	JsonBodies jsonBodies(JsonMapper json) {
		return new JsonBodies(json);
	}

}
