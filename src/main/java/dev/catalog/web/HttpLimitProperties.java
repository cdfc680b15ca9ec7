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
 * @param writeTimeout how long one write of a response may wait for the client to take it; past
 * it the connection is closed. A client that stops reading a stream (a change feed it was cut
 * from for lagging, a list it paused) fills the socket's buffers, and without this its
 * connection would stay open for as long as the client keeps it; heartbeats keep writes coming
 * on an idle stream, so a stalled one is found within this plus a heartbeat.
 */
@ConfigurationProperties("catalog.http")
public record HttpLimitProperties(@DefaultValue("10s") Duration headerTimeout,
		@DefaultValue("30s") Duration writeTimeout) {

	public HttpLimitProperties {
		if (headerTimeout.isNegative() || headerTimeout.isZero()) {
			throw new IllegalArgumentException("catalog.http.header-timeout must be positive, not " + headerTimeout);
		}
		if (writeTimeout.isNegative() || writeTimeout.isZero()) {
			throw new IllegalArgumentException("catalog.http.write-timeout must be positive, not " + writeTimeout);
		}
	}

}
