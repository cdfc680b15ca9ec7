package dev.catalog.artifact;

import java.util.List;
import java.util.UUID;

import dev.catalog.cache.ResponseCache;
import dev.catalog.web.Cursor;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.Ids;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.Page;
import dev.catalog.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Artifact lists (all artifacts, or the members of one collection) as JSON pages, NDJSON
 * streams or Server-Sent Events, and single artifacts.
 */
class ArtifactHandler {

	private final ArtifactQueries queries;

	private final CursorCodec cursors;

	private final ResponseCache cache;

	private final int chunkSize;

	ArtifactHandler(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache, StreamProperties stream) {
		this.queries = queries;
		this.cursors = cursors;
		this.cache = cache;
		this.chunkSize = stream.chunkSize();
	}

	/** What one list request asks for: which list, filtered how, from where, how much. */
	private record ListRequest(String list, ArtifactFilter filter, PageRequest page,
			ArtifactStream.PageSource source) {

	}

	Mono<ServerResponse> list(ServerRequest request) {
		return Mono.fromCallable(() -> artifacts(request)).flatMap((list) -> page(request, list));
	}

	Mono<ServerResponse> stream(ServerRequest request) {
		return Mono.fromCallable(() -> artifacts(request)).flatMap(this::ndjson);
	}

	Mono<ServerResponse> events(ServerRequest request) {
		return Mono.fromCallable(() -> artifacts(request)).flatMap((list) -> sse(request, list));
	}

	Mono<ServerResponse> members(ServerRequest request) {
		return Mono.fromCallable(() -> members(request, true)).flatMap((list) -> page(request, list));
	}

	Mono<ServerResponse> membersStream(ServerRequest request) {
		return Mono.fromCallable(() -> members(request, false)).flatMap(this::ndjson);
	}

	Mono<ServerResponse> membersEvents(ServerRequest request) {
		return Mono.fromCallable(() -> members(request, false)).flatMap((list) -> sse(request, list));
	}

	Mono<ServerResponse> detail(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("artifact", request.pathVariable("id")))
			.flatMap((id) -> this.cache.json(request, "artifact:" + id,
					() -> this.queries.find(id).switchIfEmpty(Mono.error(() -> new NotFoundException("artifact", id)))));
	}

	private ListRequest artifacts(ServerRequest request) {
		ArtifactFilter filter = filter(request);
		return new ListRequest("artifacts?" + filter.canonical(), filter, PageRequest.of(request),
				(after, limit) -> this.queries.page(filter, after, limit).collectList());
	}

	/**
	 * @param missingIs404 whether an unknown collection fails the request before it starts;
	 * a stream starts without knowing, so it ends empty instead
	 */
	private ListRequest members(ServerRequest request, boolean missingIs404) {
		UUID collection = Ids.parse("collection", request.pathVariable("id"));
		ArtifactFilter filter = filter(request);
		ArtifactStream.PageSource source = (after, limit) -> this.queries
			.membersPage(collection, filter, after, limit)
			.switchIfEmpty(missingIs404 ? Mono.error(() -> new NotFoundException("collection", collection))
					: Mono.just(List.of()));
		return new ListRequest("collections/" + collection + "/artifacts?" + filter.canonical(), filter,
				PageRequest.of(request), source);
	}

	private static ArtifactFilter filter(ServerRequest request) {
		return ArtifactFilter.parse(request.queryParam("type").orElse(null), request.queryParams().get("tag"),
				request.queryParam("collection").orElse(null), request.queryParam("q").orElse(null));
	}

	private Mono<ServerResponse> page(ServerRequest request, ListRequest list) {
		Cursor after = decode(list, list.page().cursor());
		int limit = list.page().limit();
		String key = list.list() + "limit=" + limit + "&cursor=" + ((after != null) ? list.page().cursor() : "");
		return this.cache.json(request, key, () -> list.source()
			.fetch(after, Page.rowsToRead(limit))
			.map((rows) -> Page.of(rows, limit, (last) -> this.cursors.encode(list.list(), cursorOf(last)))));
	}

	private Mono<ServerResponse> ndjson(ListRequest list) {
		Flux<ArtifactSummary> items = items(list, decode(list, list.page().cursor()));
		return ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON).body(items, ArtifactSummary.class);
	}

	private Mono<ServerResponse> sse(ServerRequest request, ListRequest list) {
		String resumeFrom = request.headers().firstHeader("Last-Event-ID");
		Cursor after = decode(list, (resumeFrom != null && !resumeFrom.isBlank()) ? resumeFrom : list.page().cursor());
		Flux<ServerSentEvent<Object>> events = items(list, after)
			.map((artifact) -> ServerSentEvent.<Object>builder(artifact)
				.event("artifact")
				.id(this.cursors.encode(list.list(), cursorOf(artifact)))
				.build())
			.concatWith(Mono.just(ServerSentEvent.<Object>builder("{}").event("end").build()));
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("X-Accel-Buffering", "no")
			.body(events, ServerSentEvent.class);
	}

	private Flux<ArtifactSummary> items(ListRequest list, Cursor after) {
		long max = list.page().limited() ? list.page().limit() : Long.MAX_VALUE;
		return ArtifactStream.of(list.source(), after, max, this.chunkSize);
	}

	private Cursor decode(ListRequest list, String cursor) {
		return (cursor != null) ? this.cursors.decode(list.list(), cursor) : null;
	}

	private static Cursor cursorOf(ArtifactSummary artifact) {
		return new Cursor(artifact.position(), artifact.id());
	}

}
