package dev.catalog.db;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Statement accounting ({@code catalog.statements.*}).
 *
 * @param serverTiming whether responses carry a {@code Server-Timing} header with the
 * request's database time and statement count
 * @param warnPerRequest a request that runs more statements than this is logged at WARN
 * @param slowThreshold a statement that runs longer than this is logged at WARN
 */
@ConfigurationProperties("catalog.statements")
public record StatementProperties(Boolean serverTiming, Integer warnPerRequest, Duration slowThreshold) {

	public StatementProperties {
		serverTiming = (serverTiming != null) ? serverTiming : true;
		warnPerRequest = (warnPerRequest != null) ? warnPerRequest : 5;
		slowThreshold = (slowThreshold != null) ? slowThreshold : Duration.ofMillis(250);
	}

}
