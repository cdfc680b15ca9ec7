package dev.catalog.collection;

import java.util.List;

import dev.catalog.cache.ResponseCache;
import dev.catalog.cache.WarmUpPath;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.Representations;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.pathId;
import static dev.catalog.web.ApiDocs.problem;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

@Configuration(proxyBeanMethods = false)
class CollectionConfiguration {

	@Bean
	CollectionQueries collectionQueries(DatabaseClient database) {
		return new CollectionQueries(database);
	}

	/** The first page is what most clients ask for first: loaded into the cache at start-up. */
	@Bean
	WarmUpPath firstCollectionPage() {
		return new WarmUpPath("/api/v1/collections");
	}

	@Bean
	RouterFunction<ServerResponse> collectionRoutes(CollectionQueries queries, CursorCodec cursors,
			ResponseCache cache) {
		CollectionHandler handler = new CollectionHandler(queries, cursors, cache);
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET("/api/v1/collections", accept(MediaType.APPLICATION_JSON), handler::list,
					(operation) -> operation.operationId("listCollections")
						.tag("collections")
						.summary("A page of collections, newest first, with their artifactCount")
						.parameter(parameterBuilder().in(ParameterIn.QUERY)
							.name("limit")
							.description("Page size, 1 to 200 (default 50)")
							.schema(schemaBuilder().type("integer")))
						.parameter(parameterBuilder().in(ParameterIn.QUERY)
							.name("cursor")
							.description("Opaque cursor from the previous page's nextCursor")
							.schema(schemaBuilder().type("string")))
						.response(responseBuilder().responseCode("200")
							.description("A page of collections")
							.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
								.schema(schemaBuilder().implementation(CollectionPage.class))))
						.response(problem("400", "Malformed limit or cursor"))
						.response(problem("406", "Accept names no representation of this resource")))
			.GET("/api/v1/collections/{id}", accept(MediaType.APPLICATION_JSON), handler::detail,
					(operation) -> operation.operationId("getCollection")
						.tag("collections")
						.summary("One collection with its artifactCount")
						.parameter(pathId("id", "collection"))
						.response(responseBuilder().responseCode("200")
							.description("The collection")
							.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
								.schema(schemaBuilder().implementation(CollectionSummary.class))))
						.response(problem("400", "Malformed id"))
						.response(problem("404", "No such collection"))
						.response(problem("406", "Accept names no representation of this resource")))
			.build());
	}

	/** The shape of {@code Page<CollectionSummary>}, named for the OpenAPI document. */
	record CollectionPage(List<CollectionSummary> items, String nextCursor) {

	}

}
