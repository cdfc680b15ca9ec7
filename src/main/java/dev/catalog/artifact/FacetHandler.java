package dev.catalog.artifact;

import java.time.Duration;

import dev.catalog.cache.ResponseCache;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The facet counts of the artifact list, as JSON through the shared cache. The filters are read
 * and refused exactly as the list reads them ({@link ArtifactFilter#of}): a filter that cannot
 * be used is a 400 problem before anything is read. The list's paging parameters
 * ({@code limit}, {@code cursor}) mean nothing here and are ignored, like any other parameter
 * the facets do not take, so a client may send the query string of the list it shows; they
 * are not part of the cache key.
 */
class FacetHandler {

	private final FacetQueries queries;

	private final ResponseCache cache;

	private final String top;

	private final Duration loadTimeout;

	FacetHandler(FacetQueries queries, ResponseCache cache, FacetProperties properties) {
		this.queries = queries;
		this.cache = cache;
		this.top = "top-tags=" + properties.topTags() + "&top-collections=" + properties.topCollections();
		this.loadTimeout = properties.loadTimeout();
	}

	/**
	 * Cached under the canonical filter and the configured tops, so that instances configured
	 * differently (during a rolling change) never serve each other's cuts.
	 */
	Mono<ServerResponse> facets(ServerRequest request) {
		return Mono.fromCallable(() -> ArtifactFilter.of(request))
			.flatMap((filter) -> this.cache.json(request, "artifacts/facets?" + filter.canonical() + this.top,
					this.loadTimeout, () -> this.queries.facets(filter)));
	}

}
