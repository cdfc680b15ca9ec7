package dev.catalog.system;

import reactor.netty.http.HttpResources;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves HTTP on Java NIO rather than Netty's native epoll transport unless
 * {@code catalog.server.native-transport=true}. Measured with wrk against the static benchmark
 * endpoint on the 2-core benchmark machine (1,000 connections, 15 s, two runs each, after 40 s
 * of warm-up): epoll left 175 and 237 requests per run unanswered for wrk's 5 s timeout (p99
 * 1.2 and 3.4 s) at the same throughput; NIO answered every request (p99 0.2 s once warm). The
 * event loops and their number stay Reactor Netty's shared ones.
 */
@Configuration(proxyBeanMethods = false)
class ServerTransportConfiguration {

	@Bean
	@ConditionalOnProperty(name = "catalog.server.native-transport", havingValue = "false", matchIfMissing = true)
	NettyServerCustomizer nioTransport() {
		return (server) -> server.runOn(HttpResources.get(), false);
	}

}
