package dev.catalog.artifact;

import java.util.List;

import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.fn.builders.operation.Builder;

import org.springframework.http.MediaType;

import static dev.catalog.web.ApiDocs.problem;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;

/** The OpenAPI description of an artifact list ({@link ArtifactLists}), for every route that serves one. */
public final class ArtifactListDocs {

	private ArtifactListDocs() {
	}

	/**
	 * Describes an operation that serves an artifact list, for the OpenAPI document: its three
	 * representations, the paging and resuming parameters, the given path parameters, the
	 * filters, and the answers 200, 400 and 406. The operation is described on its JSON route;
	 * the NDJSON and event-stream routes are documented by it.
	 * @param pathParameters the parameters of the list's path, listed before the filters
	 * @return the operation, for answers of its own (a 404 for a path naming something)
	 */
	public static Builder describe(Builder operation, String operationId, String summary,
			org.springdoc.core.fn.builders.parameter.Builder... pathParameters) {
		operation.operationId(operationId)
			.tag("artifacts")
			.summary(summary)
			.description("""
					The representation follows Accept: application/json gives a page and a nextCursor; \
					application/x-ndjson streams one artifact per line (every matching artifact when no limit \
					is given); text/event-stream sends one 'artifact' event per artifact, with a resume cursor \
					as its id, then an 'end' event. A client that reconnects with Last-Event-ID resumes after \
					the last artifact it received. To keep the list current afterwards, follow GET /api/v1/changes \
					from the position in the end event's feedPosition (NDJSON: the Catalog-Feed-Position header), \
					taken before the list's first read: no change made during or after the read is missed, and \
					one that the list already shows may come again, harmlessly.""");
		pagingParameters(operation);
		FollowingLists.describe(operation);
		operation.response(responseBuilder().responseCode("200")
			.description("A page, a stream of lines, or a stream of events")
			.content(contentBuilder().mediaType(MediaType.APPLICATION_JSON_VALUE)
				.schema(schemaBuilder().implementation(ArtifactPage.class)))
			.content(contentBuilder().mediaType(MediaType.APPLICATION_NDJSON_VALUE)
				.schema(schemaBuilder().implementation(ArtifactSummary.class)))
			.content(contentBuilder().mediaType(MediaType.TEXT_EVENT_STREAM_VALUE)
				.schema(schemaBuilder().implementation(ArtifactSummary.class))))
			.response(problem("400", "Malformed parameter, id or cursor"))
			.response(problem("406", "Accept names no representation of this resource"));
		for (org.springdoc.core.fn.builders.parameter.Builder parameter : pathParameters) {
			operation.parameter(parameter);
		}
		FilterParameters.describe(operation);
		return operation;
	}

	private static void pagingParameters(Builder operation) {
		operation
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("limit")
				.description("Page size, 1 to 200 (default 50); for a stream, the most artifacts to send, no upper bound")
				.schema(schemaBuilder().type("integer")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("cursor")
				.description("Opaque cursor from the previous page's nextCursor")
				.schema(schemaBuilder().type("string")))
			.parameter(parameterBuilder().in(ParameterIn.HEADER)
				.name("Last-Event-ID")
				.description("With text/event-stream: resume after this event id")
				.schema(schemaBuilder().type("string")));
	}

	/** The shape of {@code Page<ArtifactSummary>}, named for the OpenAPI document. */
	record ArtifactPage(List<ArtifactSummary> items,
			@Schema(types = { "string", "null" }, description = "the cursor of the next page; null on the last") @Nullable String nextCursor) {

	}

}
