package dev.catalog.artifact;

import dev.catalog.cache.ResponseCache;
import dev.catalog.web.CursorCodec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ArtifactConfiguration {

	@Bean
	ArtifactQueries artifactQueries(DatabaseClient database) {
		return new ArtifactQueries(database);
	}

	@Bean
	RouterFunction<ServerResponse> artifactRoutes(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache,
			StreamProperties stream) {
		return ArtifactRoutes.routes(new ArtifactHandler(queries, cursors, cache, stream));
	}

}
