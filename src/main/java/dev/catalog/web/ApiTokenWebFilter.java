package dev.catalog.web;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every request under {@code /api/} other than GET, HEAD and OPTIONS needs
 * {@code Authorization: Bearer <token>} with a token from {@link ApiTokens}; anything else is
 * answered with 401 and {@code WWW-Authenticate: Bearer} ({@link UnauthorizedException}) before
 * the body is read or a route is chosen, so an unauthorised request can neither change nor probe
 * anything. Reads stay public.
 */
class ApiTokenWebFilter implements WebFilter, Ordered {

	private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	private static final String BEARER = "Bearer ";

	private final ApiTokens tokens;

	ApiTokenWebFilter(ApiTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public int getOrder() {
		// after statement accounting, so that refused writes are measured too
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (SAFE.contains(exchange.getRequest().getMethod())
				|| !exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/")) {
			return chain.filter(exchange);
		}
		String refusal = refusal(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
		return (refusal != null) ? Mono.error(new UnauthorizedException(refusal)) : chain.filter(exchange);
	}

	private @Nullable String refusal(@Nullable String authorization) {
		if (!this.tokens.configured()) {
			return "Writes are disabled: no API token is configured (catalog.api-tokens).";
		}
		if (authorization == null || authorization.isBlank()) {
			return "Writes need an Authorization: Bearer <token> header.";
		}
		if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
				|| authorization.substring(BEARER.length()).isBlank()) {
			return "Writes need a Bearer token in the Authorization header.";
		}
		if (!this.tokens.accepts(authorization.substring(BEARER.length()).strip())) {
			return "The bearer token is not valid.";
		}
		return null;
	}

}
