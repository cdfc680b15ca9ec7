package dev.catalog.artifact;

import java.util.List;
import java.util.function.Consumer;

import dev.catalog.web.Representations;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
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
import static org.springdoc.core.fn.builders.arrayschema.Builder.arraySchemaBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.header.Builder.headerBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * The artifact routes, reads and writes, with their OpenAPI description. Reads choose their
 * representation by {@code Accept}: lists are JSON (also for {@code *}{@code /*} and no
 * header), NDJSON or Server-Sent Events, an artifact is JSON; an {@code Accept} that names none
 * of a path's representations is a 406 ({@link Representations}). Writes need a bearer token
 * (checked by a filter before any route) and answer JSON whatever {@code Accept} says.
 */
final class ArtifactRoutes {

	private static final String ARTIFACTS = "/api/v1/artifacts";

	private static final String ARTIFACT = ARTIFACTS + "/{id}";

	private static final String VERSIONS = ARTIFACT + "/versions";

	private static final String MEMBERS = "/api/v1/collections/{id}/artifacts";

	private ArtifactRoutes() {
	}

	static RouterFunction<ServerResponse> routes(ArtifactHandler reads, ArtifactWriteHandler writes) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET(ARTIFACTS, accept(MediaType.APPLICATION_JSON), reads::list, ArtifactRoutes::listArtifacts)
			.GET(ARTIFACTS, accept(MediaType.APPLICATION_NDJSON), reads::stream, representation("streamArtifacts"))
			.GET(ARTIFACTS, accept(MediaType.TEXT_EVENT_STREAM), reads::events, representation("artifactEvents"))
			.POST(ARTIFACTS, writes::create, ArtifactRoutes::createArtifact)
			.GET(ARTIFACT, accept(MediaType.APPLICATION_JSON), reads::detail, ArtifactRoutes::getArtifact)
			.PATCH(ARTIFACT, writes::patch, ArtifactRoutes::patchArtifact)
			.DELETE(ARTIFACT, writes::delete, ArtifactRoutes::deleteArtifact)
			.POST(VERSIONS, writes::addVersion, ArtifactRoutes::addArtifactVersion)
			.GET(MEMBERS, accept(MediaType.APPLICATION_JSON), reads::members, ArtifactRoutes::listCollectionArtifacts)
			.GET(MEMBERS, accept(MediaType.APPLICATION_NDJSON), reads::membersStream,
					representation("streamCollectionArtifacts"))
			.GET(MEMBERS, accept(MediaType.TEXT_EVENT_STREAM), reads::membersEvents,
					representation("collectionArtifactEvents"))
			.build());
	}

	private static void listArtifacts(Builder operation) {
		listOperation(operation, "listArtifacts", "A page of artifacts, newest first, each with its tags and collections",
				ArtifactRoutes::artifactFilters);
	}

	private static void createArtifact(Builder operation) {
		write(operation, "createArtifact", "Create an artifact")
			.requestBody(body(MediaType.APPLICATION_JSON_VALUE, NewArtifact.class))
			.response(responseBuilder().responseCode("201")
				.description("Created; Location names it, the body is the artifact as GET shows it")
				.header(headerBuilder().name("Location").description("The new artifact's URL"))
				.content(json(ArtifactDetail.class)));
	}

	private static void getArtifact(Builder operation) {
		operation.operationId("getArtifact")
			.tag("artifacts")
			.summary("One artifact with its collections, tags, versions (newest first) and metadata")
			.parameter(pathId("id", "artifact"))
			.response(responseBuilder().responseCode("200")
				.description("The artifact")
				.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
					.schema(schemaBuilder().implementation(ArtifactDetail.class))))
			.response(problem("400", "Malformed id"))
			.response(problem("404", "No such artifact"))
			.response(problem("406", "Accept names no representation of this resource"));
	}

	private static void patchArtifact(Builder operation) {
		write(operation, "patchArtifact", "Change an artifact with a JSON merge patch (RFC 7396)")
			.parameter(pathId("id", "artifact"))
			.requestBody(mergePatch(ArtifactPatch.class))
			.response(responseBuilder().responseCode("200")
				.description("The artifact as it is now")
				.content(json(ArtifactDetail.class)))
			.response(problem("404", "No such artifact"));
	}

	private static void deleteArtifact(Builder operation) {
		write(operation, "deleteArtifact", "Delete an artifact with its memberships, tags and versions")
			.parameter(pathId("id", "artifact"))
			.response(responseBuilder().responseCode("204").description("Deleted"))
			.response(problem("404", "No such artifact"));
	}

	private static void addArtifactVersion(Builder operation) {
		write(operation, "addArtifactVersion", "Add a version to an artifact")
			.parameter(pathId("id", "artifact"))
			.requestBody(body(MediaType.APPLICATION_JSON_VALUE, NewVersion.class))
			.response(responseBuilder().responseCode("201").description("Added").content(json(ArtifactVersion.class)))
			.response(problem("404", "No such artifact"))
			.response(problem("409", "The artifact already has this version"));
	}

	private static void listCollectionArtifacts(Builder operation) {
		listOperation(operation, "listCollectionArtifacts",
				"A page of a collection's artifacts, most recently added first, each with its tags and collections",
				(op) -> artifactFilters(op.parameter(pathId("id", "collection"))));
		operation.response(problem("404", "No such collection"));
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
	record ArtifactPage(List<ArtifactSummary> items, String nextCursor) {

	}

}
