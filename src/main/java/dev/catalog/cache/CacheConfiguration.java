package dev.catalog.cache;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	ResponseCache responseCache(JsonMapper json) {
		return new ResponseCache(json);
	}

}
