package dev.catalog.stats;

import dev.catalog.cache.ResponseCache;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The catalog's totals, as JSON through the shared cache. */
class StatsHandler {

	private final StatsQueries queries;

	private final ResponseCache cache;

	StatsHandler(StatsQueries queries, ResponseCache cache) {
		this.queries = queries;
		this.cache = cache;
	}

	Mono<ServerResponse> stats(ServerRequest request) {
		return this.cache.json(request, "stats", this.queries::stats);
	}

}
