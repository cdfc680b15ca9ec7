package dev.catalog.web;

import java.time.Duration;

import dev.catalog.db.DatabaseFailures;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	ProblemResponses problemResponses(JsonMapper json) {
		return new ProblemResponses(json);
	}

	@Bean
	JsonBodies jsonBodies(JsonMapper json) {
		return new JsonBodies(json);
	}

	@Bean
	InFlightLimitWebFilter inFlightLimitWebFilter(OverloadProperties properties, MeterRegistry registry,
			ObjectProvider<LongLivedRequests> longLived) {
		return new InFlightLimitWebFilter(properties, registry, longLived.orderedStream().toList());
	}

	@Bean
	ClientBuckets clientBuckets(ObjectProvider<SharedBuckets> shared, RateLimitProperties properties,
			MeterRegistry registry) {
		return new ClientBuckets(shared.getIfAvailable(), properties.redisRetry(), registry);
	}

	@Bean
	SelfRequests selfRequests() {
		return new SelfRequests();
	}

	@Bean
	RateLimitWebFilter rateLimitWebFilter(RateLimitProperties properties, ClientBuckets buckets, ApiTokens tokens,
			SelfRequests self, MeterRegistry registry, HandedOffStreams handedOff) {
		return new RateLimitWebFilter(properties, buckets, tokens, self, registry, handedOff);
	}

	@Bean
	HandedOffStreams handedOffStreams(ObjectProvider<HttpHandler> httpHandler) {
		return new HandedOffStreams(httpHandler);
	}

	/** Stream requests go through {@link HandedOffStreams#serve}; every other request as before. */
	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> handedOffStreamsRoute(HandedOffStreams streams) {
		return (factory) -> factory
			.addRouteProviders((routes) -> routes.route(HandedOffStreams::isStream, streams::serve));
	}

	@Bean
	SecurityHeadersWebFilter securityHeadersWebFilter() {
		return new SecurityHeadersWebFilter();
	}

	@Bean
	VaryWebFilter varyWebFilter() {
		return new VaryWebFilter();
	}

	@Bean
	CrossOriginWebFilter crossOriginWebFilter(CorsProperties properties) {
		return new CrossOriginWebFilter(properties);
	}

	/**
	 * The signing key lives in the database (written once by a migration) so that every
	 * instance signs and accepts the same cursors. Read once, at start-up, after the migrations.
	 */
	@Bean
	@DependsOnDatabaseInitialization
	CursorCodec cursorCodec(DatabaseClient database) {
		String secret = database.sql("SELECT value FROM catalog_settings WHERE name = 'cursor-secret'")
			.map((row) -> row.get("value", String.class))
			.one()
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"catalog_settings holds no cursor-secret: the migrations have not run on this database")))
			// the first connection of a cold JVM on a busy machine can take longer than the
			// pool's acquire timeout (sized for requests, not for start-up): try again
			.retryWhen(Retry.backoff(8, Duration.ofMillis(250)).filter(DatabaseFailures::isOutage))
			.block(Duration.ofSeconds(60));
		return new CursorCodec(secret);
	}

}
