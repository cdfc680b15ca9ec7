package dev.catalog.system;

import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives the HTTP server a thread of its own for accepting connections. By default Reactor
 * Netty registers the listening socket on one of the event loops that also serve requests;
 * while that loop is saturated, new connections wait in the kernel's accept queue. Measured
 * with wrk on the 2-core benchmark machine (static endpoint, 1,000 connections, 15 s, after
 * warm-up): with the shared loop 14 connections sat unaccepted mid-run and wrk counted 111-290
 * timeouts per run (p99 at the server 0.3 s: the requests never reached it); with one acceptor
 * thread the accept queue stayed empty and no run of three, on epoll or NIO, had a timeout.
 * The serving loops stay Reactor Netty's default in number and transport.
 */
@Configuration(proxyBeanMethods = false)
class ServerLoopsConfiguration {

	@Bean
	HttpLoops httpLoops() {
		return new HttpLoops(LoopResources.create("catalog-http", 1, LoopResources.DEFAULT_IO_WORKER_COUNT, true));
	}

	@Bean
	NettyServerCustomizer dedicatedAcceptor(HttpLoops loops) {
		return (server) -> server.runOn(loops.resources());
	}

	/** The server's event loops, released when the application context closes. */
	record HttpLoops(LoopResources resources) implements DisposableBean {

		@Override
		public void destroy() {
			this.resources.disposeLater().block(java.time.Duration.ofSeconds(10));
		}

	}

}
