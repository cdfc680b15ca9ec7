package dev.catalog.db;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

@Configuration(proxyBeanMethods = false)
class WriteConfiguration {

	@Bean
	Writes writes(TransactionalOperator transactions, CatalogChanges changes, MeterRegistry registry, Clock clock,
			DatabaseProperties properties, Replicas replicas, DatabaseClient database) {
		// only replica reads need the position: without replicas a write runs no extra statement
		Mono<Long> commitPosition = replicas.configured() ? database.sql(Writes.COMMIT_POSITION)
			.map((row) -> row.get("position", Long.class))
			.one()
			.timeout(properties.writeTimeout()) : Mono.just(0L);
		return new Writes(transactions, changes, registry, clock, Duration.ofMillis(10), properties.writeTimeout(),
				commitPosition);
	}

}
