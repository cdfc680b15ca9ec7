package dev.catalog.db;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Statement accounting ({@code catalog.statements.*}).
 *
 * @param serverTiming whether responses carry a {@code Server-Timing} header with the
 * request's database time and statement count
 * @param warnPerRequest a request that runs more statements than this is logged at WARN
 * @param slowThreshold a statement that runs longer than this is logged at WARN
 */
@ConfigurationProperties("catalog.statements")
public record StatementProperties(@DefaultValue("true") boolean serverTiming, @DefaultValue("5") int warnPerRequest,
		@DefaultValue("250ms") Duration slowThreshold) {

	public StatementProperties {
		if (warnPerRequest < 0 || slowThreshold.isNegative()) {
			throw new IllegalArgumentException(
					"catalog.statements.warn-per-request and catalog.statements.slow-threshold must not be negative");
		}
	}

}
