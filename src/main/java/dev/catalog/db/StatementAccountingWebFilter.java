package dev.catalog.db;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request a {@link RequestStatements}, reports it in a {@code Server-Timing}
 * header ({@code db;dur=<ms>;desc="<n> statements"}) when the response is committed, records
 * it in the {@code catalog.http.statements} summary when the exchange completes, and warns
 * about requests that run more statements than allowed. A streamed response commits before its
 * later chunks run, so its header counts only what ran before the first byte; the summary and
 * the warning count everything.
 */
class StatementAccountingWebFilter implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(StatementAccountingWebFilter.class);

	private final StatementProperties properties;

	private final DistributionSummary perRequest;

	StatementAccountingWebFilter(StatementProperties properties, MeterRegistry registry) {
		this.properties = properties;
		this.perRequest = DistributionSummary.builder("catalog.http.statements")
			.description("SQL statements run by one HTTP request")
			.register(registry);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		RequestStatements statements = new RequestStatements();
		if (this.properties.serverTiming()) {
			exchange.getResponse().beforeCommit(() -> {
				exchange.getResponse().getHeaders().add("Server-Timing", serverTiming(statements));
				return Mono.empty();
			});
		}
		return chain.filter(exchange)
			.doFinally((signal) -> completed(exchange, statements))
			.contextWrite((context) -> context.put(RequestStatements.class, statements));
	}

	/** {@code db;dur=<ms, 3 decimals>;desc="<n> statements"}, built by hand: it is on every answer. */
	static String serverTiming(RequestStatements statements) {
		int count = statements.count();
		long micros = Math.max(0, statements.nanos() / 1_000);
		long fraction = micros % 1_000;
		return new StringBuilder(48).append("db;dur=")
			.append(micros / 1_000)
			.append('.')
			.append((fraction < 100) ? ((fraction < 10) ? "00" : "0") : "")
			.append(fraction)
			.append(";desc=\"")
			.append(count)
			.append((count == 1) ? " statement\"" : " statements\"")
			.toString();
	}

	private void completed(ServerWebExchange exchange, RequestStatements statements) {
		this.perRequest.record(statements.count());
		if (statements.count() > this.properties.warnPerRequest()) {
			logger.warn("{} {} ran {} SQL statements (more than {})", exchange.getRequest().getMethod(),
					exchange.getRequest().getURI().getRawPath(), statements.count(), this.properties.warnPerRequest());
		}
	}

}
