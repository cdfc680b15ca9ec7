package dev.catalog.stats;

import dev.catalog.web.Representations;
import org.springdoc.core.fn.builders.operation.Builder;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * The stats route, with its OpenAPI description: JSON only; an {@code Accept} that does not
 * take JSON is a 406 ({@link Representations}).
 */
final class StatsRoutes {

	private StatsRoutes() {
	}

	static RouterFunction<ServerResponse> routes(StatsHandler handler) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET("/api/v1/stats", accept(APPLICATION_JSON), handler::stats, StatsRoutes::getStats)
			.build());
	}

	private static void getStats(Builder operation) {
		operation.operationId("getStats")
			.tag("stats")
			.summary("Numbers of artifacts, collections and memberships, and artifacts by type")
			.response(responseBuilder().responseCode("200")
				.description("The catalog's totals")
				.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
					.schema(schemaBuilder().implementation(CatalogStats.class))));
	}

}
