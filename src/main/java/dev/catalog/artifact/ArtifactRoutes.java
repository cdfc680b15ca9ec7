package dev.catalog.artifact;

import dev.catalog.web.Representations;
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
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.http.MediaType.APPLICATION_NDJSON;
import static org.springframework.http.MediaType.TEXT_EVENT_STREAM;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * The artifact routes, reads and writes, with their OpenAPI description. Reads choose their
 * representation by {@code Accept}: lists are JSON (also for {@code *}{@code /*} and no
 * header), NDJSON or Server-Sent Events, the list's facet counts and an artifact are JSON; an
 * {@code Accept} that names none of a path's representations is a 406
 * ({@link Representations}). Writes need a bearer token (checked by a filter before any route)
 * and answer JSON whatever {@code Accept} says.
 */
final class ArtifactRoutes {

	private static final String ARTIFACTS = "/api/v1/artifacts";

	/** Before {@link #ARTIFACT} in the table, which would take {@code facets} for an id. */
	private static final String FACETS = ARTIFACTS + "/facets";

	private static final String ARTIFACT = ARTIFACTS + "/{id}";

	private static final String VERSIONS = ARTIFACT + "/versions";

	private ArtifactRoutes() {
	}

	static RouterFunction<ServerResponse> routes(ArtifactLists lists, FacetHandler facets, ArtifactHandler reads,
			ArtifactWriteHandler writes) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET(ARTIFACTS, accept(APPLICATION_JSON), lists::artifacts, ArtifactRoutes::listArtifacts)
			.GET(ARTIFACTS, accept(APPLICATION_NDJSON), lists::artifactsStream, representation("streamArtifacts"))
			.GET(ARTIFACTS, accept(TEXT_EVENT_STREAM), lists::artifactsEvents, representation("artifactEvents"))
			.POST(ARTIFACTS, writes::create, ArtifactRoutes::createArtifact)
			.GET(FACETS, accept(APPLICATION_JSON), facets::facets, ArtifactRoutes::artifactFacets)
			.GET(ARTIFACT, accept(APPLICATION_JSON), reads::detail, ArtifactRoutes::getArtifact)
			.PATCH(ARTIFACT, writes::patch, ArtifactRoutes::patchArtifact)
			.DELETE(ARTIFACT, writes::delete, ArtifactRoutes::deleteArtifact)
			.POST(VERSIONS, writes::addVersion, ArtifactRoutes::addArtifactVersion)
			.build());
	}

	private static void listArtifacts(Builder operation) {
		ArtifactListDocs.describe(operation, "listArtifacts",
				"A page of artifacts, newest first, each with its tags and collections");
	}

	private static void artifactFacets(Builder operation) {
		operation.operationId("artifactFacets")
			.tag("artifacts")
			.summary("Counts of the artifacts matching the list's filters: in all, per type, top tags, top collections")
			.description("""
					Exact counts, read in one SQL statement on a cache miss. The filters are the artifact list's, \
					read and refused the same way. total counts the artifacts matching every filter; types gives \
					every type, each with the artifacts matching every filter but type that are of it (what \
					choosing that type would give); tags and collections are the ones on the most matching \
					artifacts (catalog.facets.top-tags and top-collections, 20 each by default), most first, then \
					by tag, or by name and id. The list's limit and cursor are not parameters here and are ignored, \
					so the list's query string can be sent as it is.""")
			.response(responseBuilder().responseCode("200").description("The counts").content(json(ArtifactFacets.class)))
			.response(problem("400", "Malformed parameter or id"))
			.response(problem("406", "Accept names no representation of this resource"));
		FilterParameters.describe(operation);
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

}
