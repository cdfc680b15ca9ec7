package dev.catalog.stats;

import dev.catalog.cache.ResponseCache;
import dev.catalog.cache.WarmUpPath;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class StatsConfiguration {

	@Bean
	StatsQueries statsQueries(DatabaseClient database) {
		return new StatsQueries(database);
	}

	@Bean
	StatsHandler statsHandler(StatsQueries queries, ResponseCache cache) {
		return new StatsHandler(queries, cache);
	}

	@Bean
	RouterFunction<ServerResponse> statsRoutes(StatsHandler handler) {
		return StatsRoutes.routes(handler);
	}

	/** Dashboards ask for the totals first: loaded into the cache at start-up. */
	@Bean
	WarmUpPath statsWarmUp() {
		return new WarmUpPath("/api/v1/stats");
	}

}
