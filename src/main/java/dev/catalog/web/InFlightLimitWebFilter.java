package dev.catalog.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Bounds the requests an instance works on at once: beyond
 * {@link OverloadProperties#maxInFlight()} a request is rejected before any work with 503
 * and {@code Retry-After}, so a burst far larger than the database pool turns into fast
 * refusals rather than an ever longer queue. A request leaves the count when its exchange
 * completes, fails or is cancelled (client gone). Counts are per instance. {@link
 * LongLivedRequests} (subscriptions that stay open while a client listens) are not counted.
 */
class InFlightLimitWebFilter implements WebFilter, Ordered {

	private final int limit;

	private final OverloadProperties properties;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Counter rejected;

	private final List<LongLivedRequests> longLived;

	InFlightLimitWebFilter(OverloadProperties properties, MeterRegistry registry) {
		this(properties, registry, List.of());
	}

	InFlightLimitWebFilter(OverloadProperties properties, MeterRegistry registry, List<LongLivedRequests> longLived) {
		this.properties = properties;
		this.longLived = longLived;
		this.limit = properties.maxInFlight();
		Gauge.builder("catalog.http.in.flight", this.inFlight, AtomicInteger::get)
			.description("API requests being worked on")
			.register(registry);
		this.rejected = Counter.builder("catalog.http.shed")
			.description("API requests rejected with 503 because too many were in flight")
			.register(registry);
	}

	@Override
	public int getOrder() {
		// after Vary and CORS only, which are header work, so that a shed answer says what it
		// varies on and a page of another origin can read it (and its Retry-After); before
		// statement accounting and everything else: a shed request costs nothing more
		return Ordered.HIGHEST_PRECEDENCE + 2;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.limit == 0 || exchange.getRequest().getPath().value().startsWith("/actuator")
				|| this.longLived.stream().anyMatch((requests) -> requests.matches(exchange.getRequest()))) {
			return chain.filter(exchange);
		}
		if (this.inFlight.incrementAndGet() > this.limit) {
			this.inFlight.decrementAndGet();
			this.rejected.increment();
			return Mono.error(new ServiceUnavailableException(
					"Too many requests in flight on this instance; try again shortly.", this.properties.retryAfter(),
					null));
		}
		return chain.filter(exchange).doFinally((signal) -> this.inFlight.decrementAndGet());
	}

}
