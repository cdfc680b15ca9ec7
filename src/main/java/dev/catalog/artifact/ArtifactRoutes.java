package dev.catalog.artifact;

import java.util.function.Consumer;

import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springdoc.core.fn.builders.operation.Builder;
import dev.catalog.web.Representations;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.pathId;
import static dev.catalog.web.ApiDocs.problem;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.arrayschema.Builder.arraySchemaBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * Routes of the artifact reads, with their OpenAPI description. Lists choose their
 * representation by {@code Accept}: JSON (also for {@code *}{@code /*} and no header), NDJSON
 * or Server-Sent Events; anything else is a 406.
 */
final class ArtifactRoutes {

	private ArtifactRoutes() {
	}

	static RouterFunction<ServerResponse> routes(ArtifactHandler handler) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET("/api/v1/artifacts", accept(MediaType.APPLICATION_JSON), handler::list,
					(operation) -> listOperation(operation, "listArtifacts",
							"A page of artifacts, newest first, each with its tags and collections",
							ArtifactRoutes::artifactFilters))
			.GET("/api/v1/artifacts", accept(MediaType.APPLICATION_NDJSON), handler::stream,
					(operation) -> operation.operationId("streamArtifacts").hidden(true))
			.GET("/api/v1/artifacts", accept(MediaType.TEXT_EVENT_STREAM), handler::events,
					(operation) -> operation.operationId("artifactEvents").hidden(true))
			.GET("/api/v1/artifacts/{id}", accept(MediaType.APPLICATION_JSON), handler::detail,
					(operation) -> operation.operationId("getArtifact")
						.tag("artifacts")
						.summary("One artifact with its collections, tags, versions (newest first) and metadata")
						.parameter(pathId("id", "artifact"))
						.response(responseBuilder().responseCode("200")
							.description("The artifact")
							.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
								.schema(schemaBuilder().implementation(ArtifactDetail.class))))
						.response(problem("400", "Malformed id"))
						.response(problem("404", "No such artifact"))
						.response(problem("406", "Accept names no representation of this resource")))
			.GET("/api/v1/collections/{id}/artifacts", accept(MediaType.APPLICATION_JSON), handler::members,
					(operation) -> listOperation(operation, "listCollectionArtifacts",
							"A page of a collection's artifacts, most recently added first, each with its tags and collections",
							(op) -> artifactFilters(op.parameter(pathId("id", "collection")))))
			.GET("/api/v1/collections/{id}/artifacts", accept(MediaType.APPLICATION_NDJSON), handler::membersStream,
					(operation) -> operation.operationId("streamCollectionArtifacts").hidden(true))
			.GET("/api/v1/collections/{id}/artifacts", accept(MediaType.TEXT_EVENT_STREAM), handler::membersEvents,
					(operation) -> operation.operationId("collectionArtifactEvents").hidden(true))
			.build());
	}

	private static void listOperation(Builder operation, String id, String summary, Consumer<Builder> parameters) {
		operation.operationId(id)
			.tag("artifacts")
			.summary(summary)
			.description("""
					The representation follows Accept: application/json gives a page and a nextCursor; \
					application/x-ndjson streams one artifact per line (every matching artifact when no limit \
					is given); text/event-stream sends one 'artifact' event per artifact, with a resume cursor \
					as its id, then an 'end' event. A client that reconnects with Last-Event-ID resumes after \
					the last artifact it received.""")
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("limit")
				.description("Page size, 1 to 200 (default 50); for a stream, the most artifacts to send")
				.schema(schemaBuilder().type("integer")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("cursor")
				.description("Opaque cursor from the previous page's nextCursor")
				.schema(schemaBuilder().type("string")))
			.parameter(parameterBuilder().in(ParameterIn.HEADER)
				.name("Last-Event-ID")
				.description("With text/event-stream: resume after this event id")
				.schema(schemaBuilder().type("string")))
			.response(responseBuilder().responseCode("200")
				.description("A page, a stream of lines, or a stream of events")
				.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
					.schema(schemaBuilder().implementation(ArtifactPage.class)))
				.content(contentBuilder().mediaType(MediaType.APPLICATION_NDJSON_VALUE)
					.schema(schemaBuilder().implementation(ArtifactSummary.class)))
				.content(contentBuilder().mediaType(MediaType.TEXT_EVENT_STREAM_VALUE)
					.schema(schemaBuilder().implementation(ArtifactSummary.class))))
			.response(problem("400", "Malformed parameter, id or cursor"))
			.response(problem("406", "Accept names no representation of this resource"));
		parameters.accept(operation);
		if (id.equals("listCollectionArtifacts")) {
			operation.response(problem("404", "No such collection"));
		}
	}

	private static void artifactFilters(Builder operation) {
		operation
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("type")
				.description("Only artifacts of this type: " + ArtifactType.NAMES)
				.schema(schemaBuilder().type("string")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("tag")
				.description("Only artifacts with this tag; repeat it to require several (all must match)")
				.array(arraySchemaBuilder().schema(schemaBuilder().type("string"))))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("collection")
				.description("Only members of this collection (UUID)")
				.schema(schemaBuilder().type("string").format("uuid")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("q")
				.description("Only artifacts whose name contains this, case-insensitively")
				.schema(schemaBuilder().type("string")));
	}

	/** The shape of {@code Page<ArtifactSummary>}, named for the OpenAPI document. */
	record ArtifactPage(java.util.List<ArtifactSummary> items, String nextCursor) {

	}

}
