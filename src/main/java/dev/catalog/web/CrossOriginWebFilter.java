package dev.catalog.web;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * CORS for the API ({@code /api/}), with Spring's own processor and the origins of
 * {@link CorsProperties}: what Spring's {@code CorsWebFilter} does, except as said here.
 * <ul>
 * <li>A listed origin may send GET, HEAD, POST, PATCH, PUT and DELETE; with {@code *}, any
 * other origin may send GET and HEAD.</li>
 * <li>A preflight is answered here, before the in-flight limit, the statement accounting and
 * the token check, and touches neither PostgreSQL nor Redis. One that asks for what its origin
 * may not do is refused with 403 problem+json and no CORS headers.</li>
 * <li>An allowed request gets {@code Access-Control-Allow-Origin}, the exposed headers, and
 * {@code Timing-Allow-Origin} with the same value, so that the page may read
 * {@code Server-Timing}.</li>
 * <li>Any other request (not a preflight) is served as if it came from the same origin: no
 * CORS headers, and never refused here. The browser keeps such an answer from the page; a
 * write needs a preflight (its {@code Authorization} is no safelisted header), which is
 * refused; and the bearer token, not {@code Origin}, is what authorises a write. Refusing
 * here would only break pages of our own origin that a proxy makes look foreign (TLS ended at
 * the load balancer: {@code https} page, {@code http} request).</li>
 * </ul>
 */
class CrossOriginWebFilter implements WebFilter, Ordered {

	static final List<String> ALLOWED_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
			HttpHeaders.IF_NONE_MATCH, "Last-Event-ID", HttpHeaders.ACCEPT);

	static final List<String> EXPOSED_HEADERS = List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION,
			HttpHeaders.RETRY_AFTER, "X-Cache", "Server-Timing", "RateLimit", "RateLimit-Policy",
			HttpHeaders.CONTENT_ENCODING);

	static final String TIMING_ALLOW_ORIGIN = "Timing-Allow-Origin";

	private static final List<HttpMethod> READS = List.of(HttpMethod.GET, HttpMethod.HEAD);

	private static final List<HttpMethod> READS_AND_WRITES = List.of(HttpMethod.GET, HttpMethod.HEAD,
			HttpMethod.POST, HttpMethod.PATCH, HttpMethod.PUT, HttpMethod.DELETE);

	private final CorsConfigurationSource configurations;

	private final Processor processor = new Processor();

	CrossOriginWebFilter(CorsProperties properties) {
		CorsConfiguration listed = configuration(properties.listedOrigins(), READS_AND_WRITES, properties);
		CorsConfiguration others = configuration(properties.anyOriginReads() ? List.of(CorsProperties.ANY) : List.of(),
				READS, properties);
		this.configurations = (exchange) -> {
			String origin = exchange.getRequest().getHeaders().getOrigin();
			return (origin != null && listed.checkOrigin(origin) != null) ? listed : others;
		};
	}

	private static CorsConfiguration configuration(List<String> origins, List<HttpMethod> methods,
			CorsProperties properties) {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(origins);
		methods.forEach(configuration::addAllowedMethod);
		configuration.setAllowedHeaders(ALLOWED_HEADERS);
		configuration.setExposedHeaders(EXPOSED_HEADERS);
		configuration.setMaxAge(properties.maxAge());
		return configuration;
	}

	@Override
	public int getOrder() {
		// after Vary, before everything else: a preflight is answered at no cost, and an answer
		// refused later (the in-flight limit's 503) still carries the CORS headers a page needs
		// to read it
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!request.getPath().pathWithinApplication().value().startsWith("/api/")) {
			return chain.filter(exchange);
		}
		boolean preflight = CorsUtils.isPreFlightRequest(request);
		if (!this.processor.process(this.configurations.getCorsConfiguration(exchange), exchange)) {
			return Mono.error(refused(request, preflight));
		}
		return preflight ? Mono.empty() : chain.filter(exchange);
	}

	private static ErrorResponseException refused(ServerHttpRequest request, boolean preflight) {
		String detail = preflight
				? "Pages of origin " + request.getHeaders().getOrigin() + " may not send this request to the API."
				: "The Origin header is malformed.";
		return new ErrorResponseException(HttpStatus.FORBIDDEN,
				Problems.of(HttpStatus.FORBIDDEN, "Cross-origin request refused", detail), null);
	}

	/**
	 * Spring's processor, with {@code Timing-Allow-Origin} on what it allows, and requests
	 * other than preflights never refused (see the class comment).
	 */
	private static final class Processor extends DefaultCorsProcessor {

		@Override
		protected boolean handleInternal(ServerWebExchange exchange, CorsConfiguration configuration,
				boolean preflight) {
			ServerHttpRequest request = exchange.getRequest();
			if (!preflight && (configuration.checkOrigin(request.getHeaders().getOrigin()) == null
					|| configuration.checkHttpMethod(request.getMethod()) == null)) {
				return true;
			}
			if (!super.handleInternal(exchange, configuration, preflight)) {
				return false;
			}
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set(TIMING_ALLOW_ORIGIN, headers.getAccessControlAllowOrigin());
			return true;
		}

	}

}
