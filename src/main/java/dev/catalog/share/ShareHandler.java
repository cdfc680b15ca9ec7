package dev.catalog.share;

import java.net.URI;

import dev.catalog.cache.ResponseCache;
import dev.catalog.db.Writes;
import dev.catalog.web.ApiTokens;
import dev.catalog.web.Ids;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.UnauthorizedException;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Share links (create, list, revoke; every one needs the bearer token: the list names the
 * links' secrets) and the share page itself. Writes run through {@link Writes}, so a revoked
 * link's page, cached or not, is gone on every instance once the revocation has answered: the
 * cache generation moved, and no older entry is served again.
 */
class ShareHandler {

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8);

	private final ShareQueries queries;

	private final Writes writes;

	private final ResponseCache cache;

	private final ApiTokens tokens;

	ShareHandler(ShareQueries queries, Writes writes, ResponseCache cache, ApiTokens tokens) {
		this.queries = queries;
		this.writes = writes;
		this.cache = cache;
		this.tokens = tokens;
	}

	/** 201, {@code Location: /s/{token}}, the link as JSON; 404 if there is no such collection. */
	Mono<ServerResponse> create(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("collection", request.pathVariable("id")))
			.flatMap((id) -> {
				String token = ShareTokens.next();
				return this.writes.commit(() -> this.queries.create(id, token, this.writes.now()));
			})
			.flatMap((share) -> ServerResponse.created(URI.create(share.url()))
				.contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.bodyValue(share));
	}

	/**
	 * A collection's links, newest first, never cached (by anyone: {@code no-store}). A GET, so
	 * the token filter lets it through; checked here, since the answer holds secrets.
	 */
	Mono<ServerResponse> list(ServerRequest request) {
		return Mono.fromCallable(() -> {
			authorize(request);
			return Ids.parse("collection", request.pathVariable("id"));
		})
			.flatMap(this.queries::list)
			.flatMap((shares) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.bodyValue(shares));
	}

	/** 204; 404 if the collection has no such link (any more). */
	Mono<ServerResponse> revoke(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("collection", request.pathVariable("id"))).flatMap((id) -> {
			String token = request.pathVariable("token");
			if (!ShareTokens.wellFormed(token)) {
				return Mono.error(new NotFoundException("share link", token));
			}
			return this.writes.commit(() -> this.queries.revoke(id, token))
				.switchIfEmpty(Mono.error(() -> new NotFoundException("share link", token)));
		}).flatMap((revoked) -> ServerResponse.noContent().build());
	}

	/**
	 * The share page through the shared cache, or the HTML 404 page for a link that does not
	 * exist (any more); both with the share pages' {@code Content-Security-Policy}. The key
	 * holds the page's absolute URL, which the page names in {@code og:url}.
	 */
	Mono<ServerResponse> page(ServerRequest request) {
		request.exchange().getResponse().getHeaders().set("Content-Security-Policy", ShareHtml.POLICY);
		String token = request.pathVariable("token");
		if (!ShareTokens.wellFormed(token)) {
			return notFound();
		}
		URI uri = request.uri();
		String url = uri.getScheme() + "://" + uri.getRawAuthority() + ShareTokens.PAGE_PREFIX + token;
		return this.cache
			.html(request, "share:" + url,
					() -> this.queries.page(token)
						.switchIfEmpty(Mono.error(() -> new NotFoundException("share link", token)))
						.map((page) -> ShareHtml.page(page, url)))
			.onErrorResume(NotFoundException.class, (ex) -> notFound());
	}

	private static Mono<ServerResponse> notFound() {
		return ServerResponse.status(HttpStatus.NOT_FOUND)
			.contentType(HTML)
			.header("Content-Security-Policy", ShareHtml.POLICY)
			.header(HttpHeaders.CACHE_CONTROL, "no-cache")
			.bodyValue(ShareHtml.notFound());
	}

	private void authorize(ServerRequest request) {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		String bearer = "Bearer ";
		if (authorization == null || !authorization.regionMatches(true, 0, bearer, 0, bearer.length())
				|| !this.tokens.accepts(authorization.substring(bearer.length()).strip())) {
			throw new UnauthorizedException("Listing share links needs an Authorization: Bearer <token> header.");
		}
	}

}
