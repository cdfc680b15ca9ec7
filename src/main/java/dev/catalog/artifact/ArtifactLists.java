package dev.catalog.artifact;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.catalog.cache.ResponseCache;
import dev.catalog.db.FeedHead;
import dev.catalog.web.Cursor;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.Ids;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.Page;
import dev.catalog.web.PageRequest;
import dev.catalog.web.RawJson;
import dev.catalog.web.StreamRequest;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.fn.builders.operation.Builder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.problem;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;

/**
 * Artifact lists: all artifacts, or the members of one collection, filtered by the same query
 * parameters, each as a JSON page (through the shared cache), an NDJSON stream or Server-Sent
 * Events. Which representation a request gets is for its route to decide (by {@code Accept}).
 * <p>
 * The members list is routed by the collection feature, next to the membership writes; it is
 * served here, where the list's SQL and rendering live. That is what is public: the three
 * members handlers and {@link #describe}, the OpenAPI description of an artifact list.
 * <p>
 * Every parameter, id and cursor is checked before anything is read: a request that cannot be
 * served is refused with 400 problem+json without touching PostgreSQL or Redis.
 */
public class ArtifactLists {

	/** The NDJSON stream's header with the feed position to follow it from (SSE: the end event). */
	static final String FEED_POSITION = "Catalog-Feed-Position";

	private final ArtifactQueries queries;

	private final CursorCodec cursors;

	private final ResponseCache cache;

	private final int chunkSize;

	private final FeedHead feedHead;

	public ArtifactLists(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache, StreamProperties stream,
			FeedHead feedHead) {
		this.feedHead = feedHead;
		this.queries = queries;
		this.cursors = cursors;
		this.cache = cache;
		this.chunkSize = stream.chunkSize();
	}

	/** Which list one request asks for, filtered how; its paging depends on the representation. */
	private record ListRequest(String list, ArtifactFilter filter, ArtifactStream.PageSource source) {

	}

	/** A page of all artifacts, newest first. */
	Mono<ServerResponse> artifacts(ServerRequest request) {
		return Mono.fromCallable(() -> artifactsList(request)).flatMap((list) -> page(request, list));
	}

	/** All artifacts, newest first, one JSON object per line. */
	Mono<ServerResponse> artifactsStream(ServerRequest request) {
		return Mono.fromCallable(() -> artifactsList(request)).flatMap((list) -> ndjson(request, list));
	}

	/** All artifacts, newest first, one event each, resumable with {@code Last-Event-ID}. */
	Mono<ServerResponse> artifactsEvents(ServerRequest request) {
		return Mono.fromCallable(() -> artifactsList(request)).flatMap((list) -> sse(request, list));
	}

	/**
	 * A page of the members of the collection named by the path variable {@code id}, most
	 * recently added first; 404 problem+json if there is no such collection.
	 */
	public Mono<ServerResponse> members(ServerRequest request) {
		return Mono.fromCallable(() -> membersList(request, true)).flatMap((list) -> page(request, list));
	}

	/**
	 * The members of the collection named by the path variable {@code id}, one JSON object per
	 * line; empty if there is no such collection (the stream has started before that is known).
	 */
	public Mono<ServerResponse> membersStream(ServerRequest request) {
		return Mono.fromCallable(() -> membersList(request, false)).flatMap((list) -> ndjson(request, list));
	}

	/**
	 * The members of the collection named by the path variable {@code id}, one event each,
	 * resumable with {@code Last-Event-ID}; only the end event if there is no such collection.
	 */
	public Mono<ServerResponse> membersEvents(ServerRequest request) {
		return Mono.fromCallable(() -> membersList(request, false)).flatMap((list) -> sse(request, list));
	}

	private ListRequest artifactsList(ServerRequest request) {
		ArtifactFilter filter = ArtifactFilter.of(request);
		return new ListRequest("artifacts?" + filter.canonical(), filter,
				(after, limit) -> this.queries.page(filter, after, limit).collectList());
	}

	/**
	 * @param missingIs404 whether an unknown collection fails the request before it starts;
	 * a stream starts without knowing, so it ends empty instead
	 */
	private ListRequest membersList(ServerRequest request, boolean missingIs404) {
		UUID collection = Ids.parse("collection", request.pathVariable("id"));
		ArtifactFilter filter = ArtifactFilter.of(request);
		ArtifactStream.PageSource source = (after, limit) -> this.queries
			.membersPage(collection, filter, after, limit)
			.switchIfEmpty(missingIs404 ? Mono.error(() -> new NotFoundException("collection", collection))
					: Mono.just(List.of()));
		return new ListRequest("collections/" + collection + "/artifacts?" + filter.canonical(), filter, source);
	}

	private Mono<ServerResponse> page(ServerRequest request, ListRequest list) {
		PageRequest page = PageRequest.of(request);
		Cursor after = decode(list, page.cursor());
		int limit = page.limit();
		String key = list.list() + "limit=" + limit + "&cursor=" + ((after != null) ? page.cursor() : "");
		return this.cache.json(request, key, () -> list.source().fetch(after, Page.rowsToRead(limit)).map((rows) -> {
			Page<ListedArtifact> items = Page.of(rows, limit, (last) -> this.cursors.encode(list.list(), last.cursor()));
			return RawJson.page(items.items().stream().map(ListedArtifact::json).toList(), items.nextCursor());
		}));
	}

	private Mono<ServerResponse> ndjson(ServerRequest request, ListRequest list) {
		StreamRequest stream = StreamRequest.of(request);
		// taken before the first read: following the feed from it misses nothing the stream does not show
		String position = this.feedHead.position();
		DataBufferFactory buffers = request.exchange().getResponse().bufferFactory();
		Flux<DataBuffer> lines = ArtifactStream.of(list.source(), decode(list, stream.cursor()), stream.max(),
				this.chunkSize)
			.map((artifact) -> buffers.wrap((artifact.json() + "\n").getBytes(StandardCharsets.UTF_8)));
		ServerResponse.BodyBuilder response = ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON);
		return ((position != null) ? response.header(FEED_POSITION, position) : response)
			.body(BodyInserters.fromDataBuffers(lines));
	}

	private Mono<ServerResponse> sse(ServerRequest request, ListRequest list) {
		StreamRequest stream = StreamRequest.of(request);
		String resumeFrom = request.headers().firstHeader("Last-Event-ID");
		Cursor after = decode(list, (resumeFrom != null && !resumeFrom.isBlank()) ? resumeFrom : stream.cursor());
		Flux<ServerSentEvent<String>> events = Flux.defer(() -> {
			// taken before the first read: following the feed from it misses nothing the stream does not show
			String position = this.feedHead.position();
			String end = (position != null) ? "{\"feedPosition\":\"" + position + "\"}" : "{}";
			return ArtifactStream.of(list.source(), after, stream.max(), this.chunkSize)
				.map((artifact) -> ServerSentEvent.builder(artifact.json())
					.event("artifact")
					.id(this.cursors.encode(list.list(), artifact.cursor()))
					.build())
				.concatWith(Mono.just(ServerSentEvent.builder(end).event("end").build()));
		});
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("X-Accel-Buffering", "no")
			.body(events, ServerSentEvent.class);
	}

	private @Nullable Cursor decode(ListRequest list, @Nullable String cursor) {
		return (cursor != null) ? this.cursors.decode(list.list(), cursor) : null;
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
