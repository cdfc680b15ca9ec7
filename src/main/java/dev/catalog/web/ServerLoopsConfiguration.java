package dev.catalog.web;

import reactor.netty.resources.LoopResources;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The event loops of the HTTP server (and of the service's own HTTP client), with a thread of
 * their own for accepting connections. Reactor Netty's global loops register the listening
 * socket on one of the loops that also serve requests; while that loop is saturated, new
 * connections wait in the kernel's accept queue. Measured with wrk on the 2-core benchmark
 * machine (static endpoint, 1,000 connections, 15 s, after warm-up): with the shared loop 14
 * connections sat unaccepted mid-run and wrk counted 111-237 timeouts in each of six runs while
 * the server's slowest request took 0.3 s; with one acceptor thread the accept queue stayed
 * empty and none of eight runs had a timeout (bench/results/tuning). The serving loops keep
 * Reactor Netty's default number and native transport.
 * <p>
 * Spring Boot's web server runs on the {@link ReactorResourceFactory}'s loops whatever a server
 * customizer sets, so the loops are configured here.
 */
@Configuration(proxyBeanMethods = false)
class ServerLoopsConfiguration {

	static final String PREFIX = "catalog-http";

	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setLoopResourcesSupplier(() -> LoopResources.create(PREFIX, 1, LoopResources.DEFAULT_IO_WORKER_COUNT,
				true));
		return factory;
	}

}
