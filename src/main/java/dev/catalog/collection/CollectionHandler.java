package dev.catalog.collection;

import java.util.function.Supplier;

import dev.catalog.cache.ResponseCache;
import dev.catalog.web.Cursor;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.Ids;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.Page;
import dev.catalog.web.PageRequest;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Collections as JSON through the shared cache: pages of the list, newest first, and one
 * collection. A malformed id, limit or cursor is refused with 400 before anything is read.
 */
class CollectionHandler {

	private static final String LIST = "collections?";

	private final CollectionQueries queries;

	private final CursorCodec cursors;

	private final ResponseCache cache;

	CollectionHandler(CollectionQueries queries, CursorCodec cursors, ResponseCache cache) {
		this.queries = queries;
		this.cursors = cursors;
		this.cache = cache;
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return Mono.fromCallable(() -> PageRequest.of(request)).flatMap((page) -> {
			Cursor after = (page.cursor() != null) ? this.cursors.decode(LIST, page.cursor()) : null;
			int limit = page.limit();
			Supplier<Mono<?>> body = () -> this.queries.page(after, Page.rowsToRead(limit))
				.collectList()
				.map((rows) -> Page.of(rows, limit,
						(last) -> this.cursors.encode(LIST, new Cursor(last.createdAt(), last.id()))));
			String key = LIST + "limit=" + limit + "&cursor=" + ((page.cursor() != null) ? page.cursor() : "");
			return this.cache.json(request, key, body);
		});
	}

	Mono<ServerResponse> detail(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("collection", request.pathVariable("id")))
			.flatMap((id) -> this.cache.json(request, "collection:" + id,
					() -> this.queries.find(id).switchIfEmpty(Mono.error(() -> new NotFoundException("collection", id)))));
	}

}
