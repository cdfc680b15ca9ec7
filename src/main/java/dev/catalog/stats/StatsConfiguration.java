package dev.catalog.stats;

import dev.catalog.cache.ResponseCache;
import dev.catalog.cache.WarmUpPath;
import dev.catalog.web.Representations;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

@Configuration(proxyBeanMethods = false)
class StatsConfiguration {

	@Bean
	StatsQueries statsQueries(DatabaseClient database) {
		return new StatsQueries(database);
	}

	/** Dashboards ask for the totals first: loaded into the cache at start-up. */
	@Bean
	WarmUpPath statsWarmUp() {
		return new WarmUpPath("/api/v1/stats");
	}

	@Bean
	RouterFunction<ServerResponse> statsRoutes(StatsQueries queries, ResponseCache cache) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET("/api/v1/stats", accept(MediaType.APPLICATION_JSON),
					(request) -> cache.json(request, "stats", queries::stats),
					(operation) -> operation.operationId("getStats")
						.tag("stats")
						.summary("Numbers of artifacts, collections and memberships, and artifacts by type")
						.response(responseBuilder().responseCode("200")
							.description("The catalog's totals")
							.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
								.schema(schemaBuilder().implementation(CatalogStats.class)))))
			.build());
	}

}
