package dev.catalog.web;

import reactor.netty.resources.LoopResources;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The event loops of the HTTP server (and of the service's own HTTP client): Reactor Netty's
 * default number of serving loops on its native transport, plus one thread that only accepts
 * connections, so that new connections are accepted at once even while every serving loop is
 * saturated (the measurements behind it: {@code bench/results/tuning/README.md}, section 4).
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
