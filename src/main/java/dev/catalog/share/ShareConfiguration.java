package dev.catalog.share;

import dev.catalog.cache.ResponseCache;
import dev.catalog.db.Writes;
import dev.catalog.web.ApiTokens;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ShareConfiguration {

	@Bean
	ShareQueries shareQueries(DatabaseClient database) {
		return new ShareQueries(database);
	}

	@Bean
	ShareHandler shareHandler(ShareQueries queries, Writes writes, ResponseCache cache, ApiTokens tokens) {
		return new ShareHandler(queries, writes, cache, tokens);
	}

	@Bean
	RouterFunction<ServerResponse> shareRoutes(ShareHandler handler) {
		return ShareRoutes.routes(handler);
	}

}
