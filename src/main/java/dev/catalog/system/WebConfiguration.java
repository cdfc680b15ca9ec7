package dev.catalog.system;

import java.time.Duration;

import reactor.util.retry.Retry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

import liquibase.integration.spring.SpringLiquibase;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	ProblemResponses problemResponses(JsonMapper json) {
		return new ProblemResponses(json);
	}

	/**
	 * The signing key lives in the database (written once by a migration) so that every
	 * instance signs and accepts the same cursors. Read once, at start-up.
	 */
	@Bean
	CursorCodec cursorCodec(DatabaseClient database, ObjectProvider<SpringLiquibase> migrations) {
		migrations.ifAvailable((liquibase) -> {
			// only to order this after the migrations
		});
		String secret = database.sql("SELECT value FROM catalog_settings WHERE name = 'cursor-secret'")
			.map((row) -> row.get("value", String.class))
			.one()
			// the first connection of a cold JVM on a busy machine can take longer than the
			// pool's acquire timeout (sized for requests, not for start-up): try again
			.retryWhen(Retry.backoff(8, Duration.ofMillis(250)).filter(ProblemResponses::isOverloadOrOutage))
			.block(Duration.ofSeconds(60));
		return new CursorCodec(secret);
	}

}
