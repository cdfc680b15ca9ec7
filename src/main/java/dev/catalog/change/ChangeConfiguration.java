package dev.catalog.change;

import java.time.Clock;

import dev.catalog.web.LongLivedRequests;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ChangeConfiguration {

	@Bean
	ChangeLog changeLog(DatabaseClient database) {
		return new ChangeLog(database);
	}

	@Bean
	ChangeFeed changeFeed(ChangeLog log, ChangeProperties properties, MeterRegistry registry) {
		return new ChangeFeed(log, properties, registry);
	}

	@Bean
	ChangeRetention changeRetention(ChangeLog log, ChangeProperties properties) {
		return new ChangeRetention(log, properties);
	}

	/** Its connection is its own, made like the pool's but outside it: it is held for good. */
	@Bean
	ChangeListener changeListener(R2dbcProperties r2dbc, ChangeFeed feed, ChangeProperties properties,
			ChangeRetention retention) {
		ConnectionFactory connections = ConnectionFactoryBuilder.withUrl(r2dbc.getUrl())
			.username(r2dbc.getUsername())
			.password(r2dbc.getPassword())
			.build();
		return new ChangeListener(connections, feed, properties, retention);
	}

	@Bean
	ChangeHandler changeHandler(ChangeFeed feed, ChangeLog log, ChangeProperties properties, Clock clock,
			MeterRegistry registry) {
		return new ChangeHandler(feed, log, properties, clock, registry);
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
