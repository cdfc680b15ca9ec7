package dev.catalog.artifact;

import dev.catalog.cache.ResponseCache;
import dev.catalog.web.Ids;
import dev.catalog.web.NotFoundException;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * One artifact, as JSON through the shared cache: 400 problem+json for a malformed id (before
 * anything is read), 404 if there is no such artifact. The lists are {@link ArtifactLists}.
 */
class ArtifactHandler {

	private final ArtifactQueries queries;

	private final ResponseCache cache;

	ArtifactHandler(ArtifactQueries queries, ResponseCache cache) {
		this.queries = queries;
		this.cache = cache;
	}

	Mono<ServerResponse> detail(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("artifact", request.pathVariable("id")))
			.flatMap((id) -> this.cache.json(request, "artifact:" + id,
					() -> this.queries.find(id).switchIfEmpty(Mono.error(() -> new NotFoundException("artifact", id)))));
	}

}
