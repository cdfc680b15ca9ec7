package dev.catalog.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on slow clients ({@code catalog.http.*}); the sizes are Spring Boot's
 * ({@code server.max-http-request-header-size}, {@code server.netty.max-initial-line-length})
 * and so is the idle keep-alive timeout ({@code server.netty.idle-timeout}).
 *
 * @param headerTimeout how long a request's line and headers may take to arrive, from their
 * first byte; past it the connection is answered 408 problem+json and closed (a client that
 * trickles headers a byte at a time holds a connection for no longer than this)
 */
@ConfigurationProperties("catalog.http")
public record HttpLimitProperties(@DefaultValue("10s") Duration headerTimeout) {

	public HttpLimitProperties {
		if (headerTimeout.isNegative() || headerTimeout.isZero()) {
			throw new IllegalArgumentException("catalog.http.header-timeout must be positive, not " + headerTimeout);
		}
	}

}
