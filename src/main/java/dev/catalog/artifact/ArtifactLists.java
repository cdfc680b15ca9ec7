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

	private final StreamPages streamPages;

	private final FollowingLists following;

	/** Lists without {@code follow} (route slices): {@code follow=true} is a 400. */
	public ArtifactLists(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache, StreamProperties stream,
			FeedHead feedHead) {
		this(queries, cursors, cache, stream, new StreamPages(feedHead, null),
				new FollowingLists(null, cursors, null, new StreamPages(feedHead, null), stream.chunkSize()));
	}

	ArtifactLists(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache, StreamProperties stream,
			StreamPages streamPages, FollowingLists following) {
		this.streamPages = streamPages;
		this.following = following;
		this.queries = queries;
		this.cursors = cursors;
		this.cache = cache;
		this.chunkSize = stream.chunkSize();
	}

	/**
	 * Which list one request asks for, filtered how; its paging depends on the representation.
	 * {@code collection} is the one the list is limited to, by its path or its filter.
	 */
	private record ListRequest(String list, ArtifactFilter filter, ArtifactStream.PageSource source,
			@Nullable UUID collection) {

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
				(after, limit) -> this.queries.page(filter, after, limit).collectList(), filter.collection());
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
		return new ListRequest("collections/" + collection + "/artifacts?" + filter.canonical(), filter, source,
				collection);
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
		if (FollowingLists.requested(request)) {
			return this.following.ndjson(list.list(), list.source(), list.collection(), list.filter().type(), stream);
		}
		FeedHead.Point head = this.streamPages.head();
		String position = (head != null) ? head.position() : null;
		DataBufferFactory buffers = request.exchange().getResponse().bufferFactory();
		Flux<DataBuffer> lines = ArtifactStream.of(routed(list, head), decode(list, stream.cursor()), stream.max(),
				this.chunkSize)
			.map((artifact) -> buffers.wrap((artifact.json() + "\n").getBytes(StandardCharsets.UTF_8)));
		ServerResponse.BodyBuilder response = ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON);
		return ((position != null) ? response.header(FEED_POSITION, position) : response)
			.body(BodyInserters.fromDataBuffers(lines));
	}

	private Mono<ServerResponse> sse(ServerRequest request, ListRequest list) {
		StreamRequest stream = StreamRequest.of(request);
		String resumeFrom = request.headers().firstHeader("Last-Event-ID");
		if (FollowingLists.requested(request)) {
			return this.following.sse(list.list(), list.source(), list.collection(), list.filter().type(), stream,
					resumeFrom);
		}
		Cursor after = decode(list, (resumeFrom != null && !resumeFrom.isBlank()) ? resumeFrom : stream.cursor());
		Flux<ServerSentEvent<String>> events = Flux.defer(() -> {
			FeedHead.Point head = this.streamPages.head();
			String end = (head != null) ? "{\"feedPosition\":\"" + head.position() + "\"}" : "{}";
			return ArtifactStream.of(routed(list, head), after, stream.max(), this.chunkSize)
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

	/** The list's pages for a stream handing out {@code head}, taken before its first read. */
	private ArtifactStream.PageSource routed(ListRequest list, FeedHead.@Nullable Point head) {
		return this.streamPages.routed(list.list(), list.source(), (head != null) ? head.commit() : 0);
	}

	private @Nullable Cursor decode(ListRequest list, @Nullable String cursor) {
		return (cursor != null) ? this.cursors.decode(list.list(), cursor) : null;
	}

}
