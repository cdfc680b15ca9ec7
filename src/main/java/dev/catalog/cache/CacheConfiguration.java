package dev.catalog.cache;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	ResponseCache responseCache(JsonMapper json) {
		return new ResponseCache(json);
	}

	/** Nothing is cached yet, so there is nothing to invalidate. */
	@Bean
	CatalogChanges catalogChanges() {
		return Mono::empty;
	}

}
