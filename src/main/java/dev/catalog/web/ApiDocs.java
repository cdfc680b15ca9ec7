package dev.catalog.web;

import java.util.function.Consumer;

import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springdoc.core.fn.builders.operation.Builder;

import org.springframework.http.MediaType;

import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.requestbody.Builder.requestBodyBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;

/** The pieces of the OpenAPI description that every feature's routes share. */
public final class ApiDocs {

	private ApiDocs() {
	}

	/**
	 * A route that serves another representation of an operation described on its JSON route
	 * (an NDJSON or event stream of the same list): left out of the document, which shows one
	 * operation per path and method. Its operationId still counts: springdoc (3.0.3) documents,
	 * of the routes on one path and method, the operationId last in alphabetical order, hidden
	 * or not.
	 */
	public static Consumer<Builder> representation(String operationId) {
		return (operation) -> operation.operationId(operationId).hidden(true);
	}

	/** An error answer: problem+json. */
	public static org.springdoc.core.fn.builders.apiresponse.Builder problem(String status, String description) {
		return responseBuilder().responseCode(status)
			.description(description)
			.content(contentBuilder().mediaType(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
	}

	/** A UUID path variable {@code name} naming a {@code what}. */
	public static org.springdoc.core.fn.builders.parameter.Builder pathId(String name, String what) {
		return parameterBuilder().in(ParameterIn.PATH)
			.name(name)
			.required(true)
			.description("The " + what + "'s id (UUID)")
			.schema(schemaBuilder().type("string").format("uuid"));
	}

	/** A required request body of the given media type and shape. */
	public static org.springdoc.core.fn.builders.requestbody.Builder body(String mediaType, Class<?> type) {
		return requestBodyBuilder().required(true)
			.content(contentBuilder().mediaType(mediaType).schema(schemaBuilder().implementation(type)));
	}

	/**
	 * The required body of a PATCH: a JSON merge patch (RFC 7396) of the given shape, in each
	 * media type a PATCH accepts ({@link JsonBodies#PATCH}: {@code application/merge-patch+json},
	 * or {@code application/json} meaning the same).
	 */
	public static org.springdoc.core.fn.builders.requestbody.Builder mergePatch(Class<?> type) {
		org.springdoc.core.fn.builders.requestbody.Builder body = requestBodyBuilder().required(true);
		for (MediaType accepted : JsonBodies.PATCH) {
			body.content(contentBuilder().mediaType(accepted.toString()).schema(schemaBuilder().implementation(type)));
		}
		return body;
	}

	/** JSON content of the given shape. */
	public static org.springdoc.core.fn.builders.content.Builder json(Class<?> type) {
		return contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE).schema(schemaBuilder().implementation(type));
	}

	/** What every write has in common: the token, and the answers to bad input. */
	public static Builder write(Builder operation, String id, String summary) {
		return operation.operationId(id)
			.tag("writes")
			.summary(summary)
			.description("Needs Authorization: Bearer <token> (catalog.api-tokens). A refused request changes nothing.")
			.parameter(parameterBuilder().in(ParameterIn.HEADER)
				.name("Authorization")
				.required(true)
				.description("Bearer <token>")
				.schema(schemaBuilder().type("string")))
			.response(problem("400", "Malformed id or JSON"))
			.response(problem("401", "Missing or wrong bearer token"))
			.response(problem("413", "Body over 1 MiB"))
			.response(problem("415", "Content-Type is not JSON"))
			.response(problem("422", "Invalid fields; errors lists each field and why"))
			.response(problem("503", "Overloaded, or the write kept colliding with others; try again"));
	}

}
