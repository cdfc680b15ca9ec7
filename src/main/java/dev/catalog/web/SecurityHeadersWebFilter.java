package dev.catalog.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the security headers on every answer, as it commits (200s, streams, problems, refusals
 * by the filters before any route): {@code X-Content-Type-Options: nosniff} (a browser never
 * runs JSON as a script), {@code Referrer-Policy: no-referrer}, and a
 * {@code Content-Security-Policy}: on HTML (the Swagger UI) scripts, styles and images from this
 * origin only, no framing; on everything else nothing may load at all
 * ({@code default-src 'none'}). A header a handler set itself is left alone.
 */
class SecurityHeadersWebFilter implements WebFilter, Ordered {

	static final String HTML_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

	@Override
	public int getOrder() {
		// with Vary, before anything that may refuse the request
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			HttpHeaders headers = response.getHeaders();
			setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
			setIfAbsent(headers, "Referrer-Policy", "no-referrer");
			MediaType type = headers.getContentType();
			boolean html = type != null && MediaType.TEXT_HTML.isCompatibleWith(type);
			setIfAbsent(headers, "Content-Security-Policy", html ? HTML_POLICY : API_POLICY);
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private static void setIfAbsent(HttpHeaders headers, String name, String value) {
		if (!headers.containsHeader(name)) {
			headers.set(name, value);
		}
	}

}
