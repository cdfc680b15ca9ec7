package dev.catalog.artifact;

import dev.catalog.cache.ResponseCache;
import dev.catalog.cache.WarmUpPath;
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

	/** The first page is what most clients ask for first: loaded into the cache at start-up. */
	@Bean
	WarmUpPath firstArtifactPage() {
		return new WarmUpPath("/api/v1/artifacts");
	}

	@Bean
	RouterFunction<ServerResponse> artifactRoutes(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache,
			StreamProperties stream) {
		return ArtifactRoutes.routes(new ArtifactHandler(queries, cursors, cache, stream));
	}

}
