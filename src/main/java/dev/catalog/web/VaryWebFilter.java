package dev.catalog.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Says on every answer to a read under {@code /api/} (GET or HEAD), and on every error answer
 * there (a problem), which request headers its body depends on: {@code Vary: Accept,
 * Accept-Encoding, Origin}. {@code Accept} picks the representation (JSON, NDJSON, event
 * stream, or a 406), {@code Accept-Encoding} the compression, {@code Origin} the CORS headers;
 * without it a browser or CDN cache could answer one request with what was made for another.
 * <p>
 * Added here, once, as the answer is committed, rather than by each handler: so 200s, 304s,
 * streams and problems carry it alike, those refused before any route too (a shed request's
 * 503, a refused preflight's 403). Names already there (the CORS processor's) are kept, each
 * once whatever its case, all in one header line; {@code Vary: *} is left alone.
 */
class VaryWebFilter implements WebFilter, Ordered {

	static final List<String> NAMES = List.of(HttpHeaders.ACCEPT, HttpHeaders.ACCEPT_ENCODING, HttpHeaders.ORIGIN);

	/**
	 * The header last made, by the lines it was made of: nearly every answer comes with the same
	 * lines (none, or the CORS processor's), and tokenizing and merging them for each one was
	 * 1–2 % of a cached hit's CPU. Racy on purpose: a stale or lost memo only costs a merge.
	 */
	private volatile Memo last = new Memo(List.of(), String.join(", ", merged(List.of())));

	@Override
	public int getOrder() {
		// first of all: whatever refuses a request later (CORS, the in-flight limit) answers with it
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/")) {
			return chain.filter(exchange);
		}
		HttpMethod method = exchange.getRequest().getMethod();
		boolean read = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			HttpStatusCode status = response.getStatusCode();
			if (read || (status != null && status.isError())) {
				HttpHeaders headers = response.getHeaders();
				headers.set(HttpHeaders.VARY, header(headers.get(HttpHeaders.VARY)));
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	/** A {@code Vary} header value and the header lines it was made of. */
	private record Memo(List<String> lines, String value) {
	}

	/** The {@code Vary} value for an answer that has {@code lines} so far ({@code null}: none). */
	private String header(@Nullable List<String> lines) {
		List<String> present = (lines != null) ? lines : List.of();
		Memo memo = this.last;
		if (present.equals(memo.lines())) {
			return memo.value();
		}
		HttpHeaders parsed = new HttpHeaders();
		parsed.addAll(HttpHeaders.VARY, present);
		String value = String.join(", ", merged(parsed.getVary()));
		this.last = new Memo(List.copyOf(present), value);
		return value;
	}

	/** {@link #NAMES}, then every other name of {@code present}, each once; or {@code *} alone. */
	static List<String> merged(List<String> present) {
		if (present.contains("*")) {
			return List.of("*");
		}
		Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		List<String> merged = new ArrayList<>(NAMES.size() + present.size());
		for (String name : NAMES) {
			seen.add(name);
			merged.add(name);
		}
		for (String name : present) {
			if (!name.isBlank() && seen.add(name.strip())) {
				merged.add(name.strip());
			}
		}
		return merged;
	}

}
