package dev.catalog.collection;

import java.util.List;

import dev.catalog.artifact.ArtifactListDocs;
import dev.catalog.artifact.ArtifactLists;
import dev.catalog.web.Representations;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springdoc.core.fn.builders.operation.Builder;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.body;
import static dev.catalog.web.ApiDocs.json;
import static dev.catalog.web.ApiDocs.mergePatch;
import static dev.catalog.web.ApiDocs.pathId;
import static dev.catalog.web.ApiDocs.problem;
import static dev.catalog.web.ApiDocs.representation;
import static dev.catalog.web.ApiDocs.write;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.header.Builder.headerBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.http.MediaType.APPLICATION_NDJSON;
import static org.springframework.http.MediaType.TEXT_EVENT_STREAM;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * The collection routes, reads and writes, with their OpenAPI description, memberships
 * included: a collection's members are listed here ({@link ArtifactLists} serves them, as JSON,
 * NDJSON or Server-Sent Events), next to the writes that add and remove them. Collections are
 * JSON; an {@code Accept} that names none of a path's representations is a 406
 * ({@link Representations}). Writes need a bearer token (checked by a filter before any route)
 * and answer JSON whatever {@code Accept} says.
 */
final class CollectionRoutes {

	private static final String COLLECTIONS = "/api/v1/collections";

	private static final String COLLECTION = COLLECTIONS + "/{id}";

	private static final String MEMBERS = COLLECTION + "/artifacts";

	private static final String MEMBER = MEMBERS + "/{artifactId}";

	private static final String MEMBERSHIPS = COLLECTION + "/memberships";

	private CollectionRoutes() {
	}

	static RouterFunction<ServerResponse> routes(CollectionHandler reads, CollectionWriteHandler writes,
			ArtifactLists lists) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET(COLLECTIONS, accept(APPLICATION_JSON), reads::list, CollectionRoutes::listCollections)
			.POST(COLLECTIONS, writes::create, CollectionRoutes::createCollection)
			.GET(COLLECTION, accept(APPLICATION_JSON), reads::detail, CollectionRoutes::getCollection)
			.PATCH(COLLECTION, writes::patch, CollectionRoutes::patchCollection)
			.DELETE(COLLECTION, writes::delete, CollectionRoutes::deleteCollection)
			.GET(MEMBERS, accept(APPLICATION_JSON), lists::members, CollectionRoutes::listCollectionArtifacts)
			.GET(MEMBERS, accept(APPLICATION_NDJSON), lists::membersStream, representation("streamCollectionArtifacts"))
			.GET(MEMBERS, accept(TEXT_EVENT_STREAM), lists::membersEvents, representation("collectionArtifactEvents"))
			.PUT(MEMBER, writes::addMember, CollectionRoutes::addCollectionArtifact)
			.DELETE(MEMBER, writes::removeMember, CollectionRoutes::removeCollectionArtifact)
			.POST(MEMBERSHIPS, writes::batch, CollectionRoutes::changeCollectionArtifacts)
			.build());
	}

	private static void listCollections(Builder operation) {
		operation.operationId("listCollections")
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
			.response(problem("406", "Accept names no representation of this resource"));
	}

	private static void createCollection(Builder operation) {
		write(operation, "createCollection", "Create a collection")
			.requestBody(body(MediaType.APPLICATION_JSON_VALUE, NewCollection.class))
			.response(responseBuilder().responseCode("201")
				.description("Created; Location names it")
				.header(headerBuilder().name("Location").description("The new collection's URL"))
				.content(json(CollectionSummary.class)))
			.response(problem("409", "A collection with this name (ignoring case) exists"));
	}

	private static void getCollection(Builder operation) {
		operation.operationId("getCollection")
			.tag("collections")
			.summary("One collection with its artifactCount")
			.parameter(pathId("id", "collection"))
			.response(responseBuilder().responseCode("200")
				.description("The collection")
				.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
					.schema(schemaBuilder().implementation(CollectionSummary.class))))
			.response(problem("400", "Malformed id"))
			.response(problem("404", "No such collection"))
			.response(problem("406", "Accept names no representation of this resource"));
	}

	private static void patchCollection(Builder operation) {
		write(operation, "patchCollection",
				"Change a collection's name or description with a JSON merge patch (RFC 7396)")
			.parameter(pathId("id", "collection"))
			.requestBody(mergePatch(CollectionPatch.class))
			.response(responseBuilder().responseCode("200")
				.description("The collection as it is now")
				.content(json(CollectionSummary.class)))
			.response(problem("404", "No such collection"))
			.response(problem("409", "Another collection has this name (ignoring case)"));
	}

	private static void deleteCollection(Builder operation) {
		write(operation, "deleteCollection", "Delete a collection and its memberships")
			.parameter(pathId("id", "collection"))
			.response(responseBuilder().responseCode("204").description("Deleted"))
			.response(problem("404", "No such collection"));
	}

	private static void listCollectionArtifacts(Builder operation) {
		ArtifactListDocs.describe(operation, "listCollectionArtifacts",
				"A page of a collection's artifacts, most recently added first, each with its tags and collections",
				pathId("id", "collection"))
			.response(problem("404", "No such collection"));
	}

	private static void addCollectionArtifact(Builder operation) {
		write(operation, "addCollectionArtifact", "Add an artifact to a collection (idempotent)")
			.parameter(pathId("id", "collection"))
			.parameter(pathId("artifactId", "artifact"))
			.response(responseBuilder().responseCode("201").description("The artifact joined"))
			.response(responseBuilder().responseCode("204").description("It already was a member"))
			.response(problem("404", "No such collection or artifact"));
	}

	private static void removeCollectionArtifact(Builder operation) {
		write(operation, "removeCollectionArtifact", "Remove an artifact from a collection (idempotent)")
			.parameter(pathId("id", "collection"))
			.parameter(pathId("artifactId", "artifact"))
			.response(responseBuilder().responseCode("204").description("The artifact is not a member (any more)"))
			.response(problem("404", "No such collection or artifact"));
	}

	private static void changeCollectionArtifacts(Builder operation) {
		write(operation, "changeCollectionArtifacts", "Add and remove up to 1000 artifacts in one transaction")
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
			.response(problem("404", "No such collection"));
	}

	/** The shape of {@code Page<CollectionSummary>}, named for the OpenAPI document. */
	record CollectionPage(List<CollectionSummary> items,
			@Schema(types = { "string", "null" }, description = "the cursor of the next page; null on the last") String nextCursor) {

	}

}
