package dev.catalog.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ApiTokenConfiguration {

	/**
	 * A token is generated only where the service runs on its own embedded servers (a
	 * developer's machine); against external servers, missing configuration refuses writes.
	 */
	@Bean
	ApiTokens apiTokens(ApiTokenProperties properties, Environment environment) {
		return ApiTokens.of(properties.apiTokens(), properties.apiTokensFile(),
				environment.getProperty("catalog.embedded.active", Boolean.class, false));
	}

	@Bean
	ApiTokenWebFilter apiTokenWebFilter(ApiTokens tokens) {
		return new ApiTokenWebFilter(tokens);
	}

}
