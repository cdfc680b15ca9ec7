package dev.catalog.collection;

import dev.catalog.artifact.ArtifactLists;
import dev.catalog.cache.ResponseCache;
import dev.catalog.cache.WarmUpPath;
import dev.catalog.db.Writes;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.JsonBodies;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class CollectionConfiguration {

	@Bean
	CollectionQueries collectionQueries(DatabaseClient database) {
		return new CollectionQueries(database);
	}

	@Bean
	CollectionWrites collectionWrites(DatabaseClient database) {
		return new CollectionWrites(database);
	}

	@Bean
	CollectionHandler collectionHandler(CollectionQueries queries, CursorCodec cursors, ResponseCache cache) {
		return new CollectionHandler(queries, cursors, cache);
	}

	@Bean
	CollectionWriteHandler collectionWriteHandler(CollectionWrites collections, Writes writes, JsonBodies bodies) {
		return new CollectionWriteHandler(collections, writes, bodies);
	}

	@Bean
	RouterFunction<ServerResponse> collectionRoutes(CollectionHandler reads, CollectionWriteHandler writes,
			ArtifactLists lists) {
		return CollectionRoutes.routes(reads, writes, lists);
	}

	/** The first page is what most clients ask for first: loaded into the cache at start-up. */
	@Bean
	WarmUpPath firstCollectionPage() {
		return new WarmUpPath("/api/v1/collections");
	}

}
