package dev.catalog.artifact;

import dev.catalog.cache.ResponseCache;
import dev.catalog.cache.WarmUpPath;
import dev.catalog.cache.StreamReads;
import dev.catalog.db.FeedHead;
import dev.catalog.db.FeedStreams;
import dev.catalog.db.Writes;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.HandedOffStreams;
import dev.catalog.web.JsonBodies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
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
	ArtifactWrites artifactWrites(DatabaseClient database) {
		return new ArtifactWrites(database);
	}

	/** Also routed by the collection feature, for a collection's members. */
	@Bean
	ArtifactLists artifactLists(ArtifactQueries queries, CursorCodec cursors, ResponseCache cache,
			StreamProperties stream, ObjectProvider<FeedHead> feedHead, ObjectProvider<FeedStreams> feedStreams,
			HandedOffStreams handedOff, StreamReads reads) {
		StreamPages pages = new StreamPages(feedHead.getIfAvailable(() -> () -> null), reads);
		return new ArtifactLists(queries, cursors, cache, stream, pages,
				new FollowingLists(feedStreams.getIfAvailable(), cursors, handedOff, pages, stream.chunkSize()));
	}

	@Bean
	ArtifactHandler artifactHandler(ArtifactQueries queries, ResponseCache cache) {
		return new ArtifactHandler(queries, cache);
	}

	@Bean
	FacetQueries facetQueries(DatabaseClient database, FacetProperties properties) {
		return new FacetQueries(database, properties);
	}

	@Bean
	FacetHandler facetHandler(FacetQueries queries, ResponseCache cache, FacetProperties properties) {
		return new FacetHandler(queries, cache, properties);
	}

	@Bean
	ArtifactWriteHandler artifactWriteHandler(ArtifactWrites artifacts, Writes writes, JsonBodies bodies,
			JsonMapper json) {
		return new ArtifactWriteHandler(artifacts, writes, bodies, json);
	}

	@Bean
	RouterFunction<ServerResponse> artifactRoutes(ArtifactLists lists, FacetHandler facets, ArtifactHandler reads,
			ArtifactWriteHandler writes) {
		return ArtifactRoutes.routes(lists, facets, reads, writes);
	}

	/** The first page is what most clients ask for first: loaded into the cache at start-up. */
	@Bean
	WarmUpPath firstArtifactPage() {
		return new WarmUpPath("/api/v1/artifacts");
	}

	/** The unfiltered facets go with the first page: loaded into the cache at start-up. */
	@Bean
	WarmUpPath artifactFacetsWarmUp() {
		return new WarmUpPath("/api/v1/artifacts/facets");
	}

}
