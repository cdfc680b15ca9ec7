package dev.catalog.page;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class PageConfiguration {

	@Bean
	RouterFunction<ServerResponse> pageRoutes() {
		return PageRoutes.routes();
	}

}
