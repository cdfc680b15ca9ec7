package dev.catalog.collection;

import dev.catalog.web.JsonBodies;
import dev.catalog.db.Writes;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.body;
import static dev.catalog.web.ApiDocs.json;
import static dev.catalog.web.ApiDocs.mergePatch;
import static dev.catalog.web.ApiDocs.pathId;
import static dev.catalog.web.ApiDocs.problem;
import static dev.catalog.web.ApiDocs.write;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.header.Builder.headerBuilder;

@Configuration(proxyBeanMethods = false)
class CollectionWriteConfiguration {

	@Bean
	CollectionWrites collectionWrites(DatabaseClient database) {
		return new CollectionWrites(database);
	}

	@Bean
	RouterFunction<ServerResponse> collectionWriteRoutes(CollectionWrites collections, Writes writes,
			JsonBodies bodies) {
		CollectionWriteHandler handler = new CollectionWriteHandler(collections, writes, bodies);
		return SpringdocRouteBuilder.route()
			.POST("/api/v1/collections", handler::create,
					(operation) -> write(operation, "createCollection", "Create a collection")
						.requestBody(body(MediaType.APPLICATION_JSON_VALUE, NewCollection.class))
						.response(responseBuilder().responseCode("201")
							.description("Created; Location names it")
							.header(headerBuilder().name("Location").description("The new collection's URL"))
							.content(json(CollectionSummary.class)))
						.response(problem("409", "A collection with this name (ignoring case) exists")))
			.PATCH("/api/v1/collections/{id}", handler::patch,
					(operation) -> write(operation, "patchCollection",
							"Change a collection's name or description with a JSON merge patch (RFC 7396)")
						.parameter(pathId("id", "collection"))
						.requestBody(mergePatch(CollectionPatch.class))
						.response(responseBuilder().responseCode("200")
							.description("The collection as it is now")
							.content(json(CollectionSummary.class)))
						.response(problem("404", "No such collection"))
						.response(problem("409", "Another collection has this name (ignoring case)")))
			.DELETE("/api/v1/collections/{id}", handler::delete,
					(operation) -> write(operation, "deleteCollection", "Delete a collection and its memberships")
						.parameter(pathId("id", "collection"))
						.response(responseBuilder().responseCode("204").description("Deleted"))
						.response(problem("404", "No such collection")))
			.PUT("/api/v1/collections/{id}/artifacts/{artifactId}", handler::addMember,
					(operation) -> write(operation, "addCollectionArtifact",
							"Add an artifact to a collection (idempotent)")
						.parameter(pathId("id", "collection"))
						.parameter(pathId("artifactId", "artifact"))
						.response(responseBuilder().responseCode("201").description("The artifact joined"))
						.response(responseBuilder().responseCode("204").description("It already was a member"))
						.response(problem("404", "No such collection or artifact")))
			.DELETE("/api/v1/collections/{id}/artifacts/{artifactId}", handler::removeMember,
					(operation) -> write(operation, "removeCollectionArtifact",
							"Remove an artifact from a collection (idempotent)")
						.parameter(pathId("id", "collection"))
						.parameter(pathId("artifactId", "artifact"))
						.response(responseBuilder().responseCode("204")
							.description("The artifact is not a member (any more)"))
						.response(problem("404", "No such collection or artifact")))
			.POST("/api/v1/collections/{id}/memberships", handler::batch,
					(operation) -> write(operation, "changeCollectionArtifacts",
							"Add and remove up to 1000 artifacts in one transaction")
						.description("""
								All or nothing: if any id names no artifact, nothing is applied and the 422 lists \
								every unknown id. Adding a member or removing a non-member is not an error; the \
								answer lists what actually changed and the exact count after the batch. Needs \
								Authorization: Bearer <token>.""")
						.parameter(pathId("id", "collection"))
						.requestBody(body(MediaType.APPLICATION_JSON_VALUE, MembershipBatch.class))
						.response(responseBuilder().responseCode("200")
							.description("Applied")
							.content(json(MembershipChange.class)))
						.response(problem("404", "No such collection")))
			.build();
	}

}
