package dev.catalog.change;

import java.time.Clock;

import dev.catalog.web.HandedOffStreams;
import dev.catalog.web.LongLivedRequests;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ChangeConfiguration {

	@Bean
	ChangeConnections changeConnections(R2dbcProperties r2dbc, ChangeProperties properties) {
		return new ChangeConnections(r2dbc, properties.connections());
	}

	@Bean
	ChangeLog changeLog(ChangeConnections connections, MeterRegistry registry) {
		return new ChangeLog(DatabaseClient.create(connections.pool()), registry);
	}

	@Bean
	ChangeFeed changeFeed(ChangeLog log, ChangeProperties properties, MeterRegistry registry) {
		return new ChangeFeed(log, properties, registry);
	}

	@Bean
	ChangeRetention changeRetention(ChangeLog log, ChangeProperties properties) {
		return new ChangeRetention(log, properties);
	}

	@Bean
	ChangeListener changeListener(ChangeConnections connections, ChangeFeed feed, ChangeProperties properties,
			ChangeRetention retention) {
		return new ChangeListener(connections.direct(), feed, properties, retention);
	}

	@Bean
	ChangeHandler changeHandler(ChangeFeed feed, ChangeLog log, ChangeProperties properties, Clock clock,
			MeterRegistry registry, HandedOffStreams streams) {
		return new ChangeHandler(feed, log, properties, clock, registry, streams);
	}

	@Bean
	RouterFunction<ServerResponse> changeRoutes(ChangeHandler handler) {
		return ChangeRoutes.routes(handler);
	}

	@Bean
	LongLivedRequests changeSubscriptions() {
		return (request) -> request.getPath().value().equals(ChangeRoutes.CHANGES);
	}

}
