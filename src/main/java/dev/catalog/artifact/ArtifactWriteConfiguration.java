package dev.catalog.artifact;

import dev.catalog.web.JsonBodies;
import dev.catalog.db.Writes;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;
import tools.jackson.databind.json.JsonMapper;

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
class ArtifactWriteConfiguration {

	@Bean
	ArtifactWrites artifactWrites(DatabaseClient database) {
		return new ArtifactWrites(database);
	}

	@Bean
	RouterFunction<ServerResponse> artifactWriteRoutes(ArtifactWrites artifacts, Writes writes, JsonBodies bodies,
			JsonMapper json) {
		ArtifactWriteHandler handler = new ArtifactWriteHandler(artifacts, writes, bodies, json);
		return SpringdocRouteBuilder.route()
			.POST("/api/v1/artifacts", handler::create,
					(operation) -> write(operation, "createArtifact", "Create an artifact")
						.requestBody(body(MediaType.APPLICATION_JSON_VALUE, NewArtifact.class))
						.response(responseBuilder().responseCode("201")
							.description("Created; Location names it, the body is the artifact as GET shows it")
							.header(headerBuilder().name("Location").description("The new artifact's URL"))
							.content(json(ArtifactDetail.class))))
			.PATCH("/api/v1/artifacts/{id}", handler::patch,
					(operation) -> write(operation, "patchArtifact",
							"Change an artifact with a JSON merge patch (RFC 7396)")
						.parameter(pathId("id", "artifact"))
						.requestBody(mergePatch(ArtifactPatch.class))
						.response(responseBuilder().responseCode("200")
							.description("The artifact as it is now")
							.content(json(ArtifactDetail.class)))
						.response(problem("404", "No such artifact")))
			.DELETE("/api/v1/artifacts/{id}", handler::delete,
					(operation) -> write(operation, "deleteArtifact",
							"Delete an artifact with its memberships, tags and versions")
						.parameter(pathId("id", "artifact"))
						.response(responseBuilder().responseCode("204").description("Deleted"))
						.response(problem("404", "No such artifact")))
			.POST("/api/v1/artifacts/{id}/versions", handler::addVersion,
					(operation) -> write(operation, "addArtifactVersion", "Add a version to an artifact")
						.parameter(pathId("id", "artifact"))
						.requestBody(body(MediaType.APPLICATION_JSON_VALUE, NewVersion.class))
						.response(responseBuilder().responseCode("201")
							.description("Added")
							.content(json(ArtifactVersion.class)))
						.response(problem("404", "No such artifact"))
						.response(problem("409", "The artifact already has this version")))
			.build();
	}

}
