package dev.catalog.change;

import dev.catalog.web.Representations;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springdoc.core.fn.builders.operation.Builder;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.problem;
import static dev.catalog.web.ApiDocs.representation;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.header.Builder.headerBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.http.MediaType.APPLICATION_NDJSON;
import static org.springframework.http.MediaType.TEXT_EVENT_STREAM;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * The change feed's route, Server-Sent Events or NDJSON by {@code Accept}, with its OpenAPI
 * description; any other {@code Accept} is a 406 ({@link Representations}).
 */
final class ChangeRoutes {

	static final String CHANGES = "/api/v1/changes";

	private ChangeRoutes() {
	}

	static RouterFunction<ServerResponse> routes(ChangeHandler handler) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.GET(CHANGES, accept(TEXT_EVENT_STREAM), handler::events, ChangeRoutes::followChanges)
			.GET(CHANGES, accept(APPLICATION_NDJSON), handler::lines, representation("followChangeLines"))
			.build());
	}

	private static void followChanges(Builder operation) {
		operation.operationId("followChanges")
			.tag("changes")
			.summary("Every change to the catalog, in order, as it commits, on any instance")
			.description("""
					A stream that stays open. As text/event-stream, one event per change: 'event' is its type, 'id' \
					its position (opaque), 'data' its JSON. Types and data: artifact.created, artifact.updated and \
					artifact.version-added carry the artifact as artifact lists show it (id, name, type, description, \
					tags, createdAt, updatedAt, collections with their artifactCount); artifact.deleted carries \
					{id}; collection.created and collection.updated carry the collection as collection lists show \
					it; collection.deleted carries {id}; membership.added and membership.removed carry \
					{collectionId, artifactIds, artifactCount}: one event per write and collection, with every \
					artifact the write added to (or removed from) it and the collection's count after the write \
					(a batch of 500 memberships is one event). Deleting an artifact also removes it from its \
					collections: membership.removed events come with artifact.deleted; deleting a collection sends \
					collection.deleted only. Idle streams get a comment every catalog.changes.heartbeat (15s). \
					As application/x-ndjson, one line per change {id, type, data}, and {"type":"heartbeat"} lines.\

					Where it starts: without a position, when the stream opens (it begins with a heartbeat comment, \
					NDJSON a heartbeat line): every change committed after that comes, none committed before.\

					Order and resuming: changes come in commit order (positions are numbered as transactions \
					commit), a transaction's changes in the order it made them, and every change that committed \
					comes exactly once. A write that waited for another, or saw it, comes after it. A client that reconnects with Last-Event-ID (EventSource does) \
					or ?after= gets exactly the changes after that position. A stream whose client stops reading \
					ends once catalog.changes.buffer changes wait for it: reconnect with the last id. A position \
					older than catalog.changes.retention (24h) gets a single 'reset' event (NDJSON: 410): reload \
					the list and follow from its end event.\

					Snapshot then follow: the 'end' event of an artifact list stream carries feedPosition; \
					following the feed from it misses no change made during or after the list was read. A change \
					may then arrive both in the list and on the feed: every event carries the whole new state of \
					what it names (or its removal), so applying one twice is harmless.""")
			.parameter(parameterBuilder().in(ParameterIn.HEADER)
				.name("Last-Event-ID")
				.description("Resume after this position (an event's id)")
				.schema(schemaBuilder().type("string")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("after")
				.description("Resume after this position, when there is no Last-Event-ID")
				.schema(schemaBuilder().type("string")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("collection")
				.description("Only changes concerning this collection: its own events, its memberships, and artifact "
						+ "events of artifacts in it before or after the change")
				.schema(schemaBuilder().type("string").format("uuid")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("type")
				.description("Only artifact events of artifacts of this type (before or after the change); "
						+ "collection and membership events pass")
				.schema(schemaBuilder().type("string").allowableValues(new String[] { "skill", "command", "agent", "mcp", "hook" })))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("event")
				.description("Only these event types, comma-separated")
				.schema(schemaBuilder().type("string")))
			.response(responseBuilder().responseCode("200")
				.description("The stream")
				.content(contentBuilder().mediaType(MediaType.TEXT_EVENT_STREAM_VALUE)
					.schema(schemaBuilder().type("string")))
				.content(contentBuilder().mediaType(MediaType.APPLICATION_NDJSON_VALUE)
					.schema(schemaBuilder().type("string"))))
			.response(problem("400", "Malformed position, id or parameter"))
			.response(problem("406", "Accept names no representation of this resource"))
			.response(problem("410", "As NDJSON: the position is older than the retention window"))
			.response(problem("503", "This instance serves its maximum of subscribers")
				.header(headerBuilder().name("Retry-After").description("Seconds to wait")));
	}

}
